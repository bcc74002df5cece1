//! The intermediate model: what the emitter needs to know about an API,
//! with every `$ref` resolved, every inline schema named and every Rust name
//! chosen. Nothing here refers back to the OpenAPI document except the
//! `wire` names that go on the network.

use std::collections::HashMap;

use serde::Serialize;

/// One API, ready to emit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The first server's URL with its variables at their defaults.
    pub base_url: Option<String>,
    /// Headers sent on every request (the `x-default-request-headers`
    /// extension), in document order.
    pub default_headers: Vec<(String, String)>,
    /// The header that carries the API version and its value with
    /// `{version}` in it (the `x-api-version` extension), for
    /// `ClientBuilder::api_version`.
    pub api_version: Option<(String, String)>,
    /// How the API authenticates.
    pub auth: Vec<AuthScheme>,
    /// The flows of the document's OAuth2 schemes the client can get tokens
    /// with (client credentials, authorization code, device authorization),
    /// the first scheme's of each kind.
    pub oauth2_flows: Vec<OAuth2Flow>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// The operations' groups, one per tag, in the order the operations
    /// first name them; empty when no operation has a tag.
    pub groups: Vec<Group>,
    /// Every named type, in the order the crate declares them: each
    /// component schema followed by the inline types made inside it, then
    /// the types the operations need (inline schemas, forms), in the order
    /// they were met. A [`TypeId`] is an index into it.
    pub types: Vec<TypeDef>,
    /// The distinct error-body types, one variant each of the crate's
    /// `ErrorBody` enum.
    pub error_bodies: Vec<UnionVariant>,
    /// What an error status an operation does not list (a 500, say) is
    /// decoded as, when it fits: the one error body of the document when
    /// that is the document's own vocabulary (a component), not the inline
    /// schema of one operation's response.
    pub undeclared_error: Option<TypeRef>,
    /// What the generator ignored or rewrote.
    pub notes: Vec<String>,
}

/// The operations of one tag (an operation belongs to its first tag's
/// group; one without tags to a group of its own): a module of
/// `operations`, and a cargo feature when there are several.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Group {
    /// The tag as written.
    pub tag: String,
    /// The module's name: `named_versions`.
    pub module: String,
    /// The cargo feature that compiles the group: `named-versions`.
    pub feature: String,
    /// The tag's `description`, the module's documentation.
    pub description: Option<String>,
}

/// A way the API takes credentials.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>` (http bearer, OAuth2, OpenID Connect).
    Bearer { scheme: String },
    /// HTTP basic.
    Basic { scheme: String },
    /// An API key in a header.
    ApiKeyHeader { scheme: String, name: String },
    /// An API key in the query string.
    ApiKeyQuery { scheme: String, name: String },
    /// An API key in a cookie.
    ApiKeyCookie { scheme: String, name: String },
    /// A client certificate in the TLS handshake (OpenAPI 3.1 `mutualTLS`):
    /// nothing in the request; the caller gives the builder the certificate.
    MutualTls { scheme: String },
}

/// An OAuth2 flow the client gets tokens with.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OAuth2Flow {
    /// Its OpenAPI name: `clientCredentials`, `authorizationCode` or
    /// `deviceAuthorization`.
    pub flow: String,
    /// `authorizationUrl` or `deviceAuthorizationUrl`; empty for client
    /// credentials.
    pub url: String,
    /// `tokenUrl`.
    pub token_url: String,
    /// The scopes' names.
    pub scopes: Vec<String>,
}

/// One HTTP operation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Operation {
    /// `operationId` as written (or one made from method and path).
    pub id: String,
    /// Its index in [`Api::groups`]; `None` when the API has no groups.
    pub group: Option<usize>,
    /// The representation it asks for, when `x-variants` made it (`minimal`).
    pub variant: Option<String>,
    /// Method name on the client: `get_imodels`.
    pub method_name: String,
    /// Name of its methods on the test fake (`Fake::…`, `Log::…`): the
    /// client's, unless the fake's runtime has that name already.
    pub fake_method: String,
    /// Request-builder type name: `GetIModelsRequest`.
    pub builder_name: String,
    /// Upper-case HTTP method.
    pub http_method: String,
    /// Path template as written: `/{iModelId}/changesets`.
    pub path: String,
    /// The path split into literal text and parameters.
    pub path_parts: Vec<PathPart>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Path, query, header and cookie parameters, path first, then in
    /// document order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// Success responses (2xx, or `default` when there is no 2xx).
    pub success: Vec<Response>,
    /// Error responses with a known body type.
    pub errors: Vec<Response>,
    /// The method's `Ok` type.
    pub output: Output,
    /// Whether the operation sends credentials (`security: []` turns them off).
    pub authenticated: bool,
    /// Vendor extensions on the operation (`x-…`), for templates and runtime
    /// features that the generic model does not know.
    pub extensions: Vec<(String, serde_json::Value)>,
    /// Where the operation is written (`#/paths/~1/get`), for errors.
    pub at: String,
    /// Headers with a fixed value (a representation chosen by `x-variants`).
    pub fixed_headers: Vec<(String, String)>,
    /// `x-idempotent`: whether the operation may be sent twice; `None`
    /// leaves it to the method.
    pub idempotent: Option<bool>,
    /// `x-paging`: how to iterate over all pages.
    pub paging: Option<Paging>,
    /// `x-waiter`: poll this operation until a state says done.
    pub waiter: Option<Waiter>,
    /// `x-repeat`: call again until the answer says it was the last.
    pub repeat: Option<Repeat>,
    /// `x-download`: download the file a URL in the answer (or in each
    /// listed item) points to.
    pub download: Option<Download>,
    /// `x-upload-flow` and `x-flow`: methods that start with this
    /// operation and go on with others.
    pub flows: Vec<Flow>,
    /// A sequential success body (OpenAPI 3.2 `itemSchema`), readable item
    /// by item.
    pub items: Option<ItemStream>,
}

/// A body that is a sequence of JSON values of one type.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ItemStream {
    /// The media type (`application/jsonl`).
    pub media_type: String,
    pub framing: Framing,
    /// The type of each item.
    pub item: TypeRef,
}

pub use crate::http::Framing;

/// A path through a response's fields (from a JSON pointer in an
/// extension), resolved against the types.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Accessor {
    /// The pointer as written.
    pub pointer: String,
    pub steps: Vec<Step>,
    /// The type at the end of the path.
    pub target: TypeRef,
}

/// One field of an [`Accessor`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    pub rust: String,
    /// The field is an `Option`.
    pub optional: bool,
    /// The field is boxed.
    pub boxed: bool,
}

/// How a listing's pages are read (`x-paging`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Paging {
    /// The page's items: an array.
    pub items: Accessor,
    /// The item type.
    pub item: TypeRef,
    /// The next page's URL.
    pub next: Option<Accessor>,
    /// The query parameter that sets the page size, and its builder field.
    pub page_size: Option<(String, String)>,
    pub max_page_size: Option<u64>,
    /// The query parameter that sets the offset.
    pub offset: Option<String>,
    /// The query parameter that carries a continuation token
    /// (`$continuationToken`): when the client cannot follow a `next` link
    /// that has one, it sends the token instead of an offset.
    pub token: Option<String>,
}

/// Polls an operation until its state is done (`x-waiter`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Waiter {
    /// The name the document gives it (`x-waiter.name`), which flows'
    /// `wait:` steps use whatever the method ends up called.
    pub name: String,
    /// The client method (`wait_for_…`, with a suffix if that was taken).
    pub method: String,
    pub state: Accessor,
    pub pending: Vec<String>,
    pub done: Vec<String>,
}

/// Downloads the file behind a handed-out URL in an operation's answer
/// (`x-download`): one file for a single resource (a client method that
/// reads the resource, then downloads, reading it again for a fresh URL
/// when the old one is refused), or one file per item of a paged listing (a
/// builder method, into a directory).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Download {
    /// The method.
    pub method: String,
    /// The URL, in the answer or in each item.
    pub url: Accessor,
    /// The file's size, when the API says it: checked, and a file of that
    /// size already there is kept.
    pub size: Option<Accessor>,
    /// For a listing: each item's file name.
    pub file_name: Option<Vec<FileNamePart>>,
}

/// A piece of a file name made from an item (`{/id}.cs`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum FileNamePart {
    Text(String),
    Field(Accessor),
}

/// Calls an operation until a boolean in its answer is true (`x-repeat`):
/// releasing locks chunk by chunk, say.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Repeat {
    /// The client method.
    pub method: String,
    pub until: Accessor,
    /// The most calls before the method gives up.
    pub max: u32,
}

/// A client method that does several calls in one go (`x-upload-flow`,
/// `x-flow`): the operation itself, optionally an upload of a local file to
/// a URL in its response, then more operations and waiters.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Flow {
    pub method: String,
    pub upload: Option<FlowUpload>,
    /// Where the id of what the first call created is: a step that fails
    /// later says it, so the caller can resume or clean up.
    pub created_id: Option<FlowArg>,
    pub then: Vec<FlowStep>,
    /// The groups of its steps' operations other than the operation's own
    /// (indices in [`Api::groups`], ascending): the method needs their
    /// features too.
    pub needs: Vec<usize>,
    /// The names of the method's own parameters and bindings.
    pub names: FlowNames,
}

/// The Rust names a flow's method binds besides the first call's required
/// parameters, which keep theirs (they are the client method's too).
/// Chosen in build (`build::extensions`), so that none repeats or shadows
/// one of those: a parameter `size` passed on to a later step would
/// otherwise be the file's size by then.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlowNames {
    /// The first call's body (a parameter).
    pub body: String,
    /// The file to upload (a parameter).
    pub file: String,
    /// The upload options (a parameter).
    pub upload: String,
    /// The wait options (a parameter).
    pub wait: String,
    /// The flow's progress, which a failed step's error reports.
    pub progress: String,
    /// The first call's request.
    pub request: String,
    /// The first call's response.
    pub response: String,
    /// The first call's decoded answer.
    pub created: String,
    /// The first call's answer as JSON, for the steps' bodies.
    pub created_json: String,
    /// The first call's body as JSON, for the steps' bodies.
    pub sent: String,
    /// The file's size.
    pub size: String,
    /// The upload URL.
    pub url: String,
    /// A step's body.
    pub step_body: String,
    /// What the last step returned: the method's result.
    pub last: String,
}

/// The upload of a flow: the file's size goes into the first request, the
/// file to a URL in its response.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlowUpload {
    /// Where the file's size goes in the request body (a JSON pointer).
    pub size_pointer: String,
    pub url: Accessor,
    /// Where the response names the URL's storage (`UploadOptions::storage_type`).
    pub storage_type: Option<Accessor>,
    pub headers: Vec<(String, String)>,
}

/// A step after the first call (and the upload): an operation or a waiter.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlowStep {
    /// The client method to call.
    pub method: String,
    /// The `operationId` called (for a waiter, the one it polls), named by
    /// the error when the step fails.
    pub operation: String,
    pub wait: bool,
    /// A required body to send as its default (`{}`).
    pub default_body: bool,
    /// The step's required parameters, in order.
    pub args: Vec<FlowArg>,
    /// A body made of constants and values from earlier.
    pub body: Option<FlowBody>,
    /// What the step returns.
    pub output: TypeRef,
}

/// Where a step's parameter comes from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum FlowArg {
    /// A field of the first response.
    Response(Accessor),
    /// The flow's own parameter of this Rust name (a parameter of the first
    /// call).
    Param(String),
    /// The last path segment of a response header of the first call (the
    /// new resource's id in a `Location` URL), parsed as `ty`.
    Header {
        /// The header's field in the first call's output.
        rust: String,
        wire: String,
        ty: TypeRef,
    },
}

/// A step's request body: a JSON constant with values filled in.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlowBody {
    /// The constant part, as JSON text.
    pub template: String,
    pub fill: Vec<FlowFill>,
    pub ty: TypeRef,
}

/// One value put into a [`FlowBody`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlowFill {
    /// Where it goes in the body (a JSON pointer).
    pub target: String,
    pub from: FlowSource,
}

/// Where a [`FlowFill`]'s value comes from: a JSON pointer into the first
/// response, or into the first request's body.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum FlowSource {
    Response(String),
    Request(String),
}

/// A piece of a path template.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// The value of the path parameter with this wire name.
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
    /// OpenAPI 3.2's `in: querystring`: the whole query string, a struct
    /// written as `application/x-www-form-urlencoded`.
    QueryString,
}

/// How an array or object parameter is written.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum Style {
    /// `k=a&k=b` (query, `explode: true`, the default).
    FormExploded,
    /// `k=a,b`, or `a,b` in paths and headers.
    Comma,
    /// `k=a%20b`.
    SpaceDelimited,
    /// `k=a|b`.
    PipeDelimited,
    /// `k[x]=1&k[y]=2`.
    DeepObject,
}

/// One parameter.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Param {
    /// Name on the wire: `$top`.
    pub wire: String,
    /// Rust name: `top`.
    pub rust: String,
    pub location: Location,
    pub required: bool,
    pub ty: TypeRef,
    pub style: Style,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The type is a `oneOf`/`anyOf` whose branches are scalars or arrays of
    /// scalars: the value is written as the branch the caller chose, through
    /// the union's generated `param_values()`.
    pub union: bool,
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum Encoding {
    /// JSON (`application/json`, `…+json`).
    Json,
    /// Raw bytes (`application/octet-stream`, `image/png`, …).
    Binary,
    /// UTF-8 text (`text/*`).
    Text,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
}

/// A request body.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Body {
    /// The media type sent as `Content-Type` (by default).
    pub media_type: String,
    pub encoding: Encoding,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
    /// For a byte body the document allows in several media types
    /// (`image/png` or `image/jpeg`): the choice the builder offers;
    /// `media_type` (the first) is sent when the caller makes none.
    pub media_types: Option<MediaTypes>,
}

/// The media types a byte body may be sent as, and the builder setter that
/// picks one.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MediaTypes {
    /// A string enum of the declared media types.
    pub ty: TypeRef,
    /// The setter's name (`content_type`, unless a parameter has it).
    pub setter: String,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// `2XX`-style ranges: the hundreds digit.
    Range(u16),
    /// `default`.
    Default,
}

/// A response a method may get.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Response {
    pub status: Status,
    pub description: String,
    /// Body encoding and type, when the response has a body.
    pub body: Option<(Encoding, TypeRef)>,
    /// Response headers the document declares, as (wire name, Rust field).
    pub headers: Vec<ResponseHeader>,
}

/// A declared response header, surfaced as a typed field.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ResponseHeader {
    pub wire: String,
    pub rust: String,
    pub description: Option<String>,
}

/// What a method returns on success.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum Output {
    /// No body: `()`.
    Unit,
    /// One body type for every success status.
    Body(Encoding, TypeRef),
    /// A generated struct with the body (if any) and declared headers.
    WithHeaders {
        name: String,
        body: Option<(Encoding, TypeRef)>,
        headers: Vec<ResponseHeader>,
    },
    /// A generated enum, one variant per success status: each status and
    /// its variant's name (`Status201`, `Status2xx`, `Default`).
    PerStatus {
        name: String,
        variants: Vec<(Status, String)>,
    },
}

impl Output {
    /// The variant of a [`Output::PerStatus`] enum for this status.
    pub fn status_variant(&self, status: Status) -> Option<&str> {
        match self {
            Output::PerStatus { variants, .. } => variants
                .iter()
                .find(|(s, _)| *s == status)
                .map(|(_, name)| name.as_str()),
            _ => None,
        }
    }
}

/// A generated type: its index in [`Api::types`] (in the build stage, in
/// the list it is still filling). Ask a [`TypeSpace`] for its definition
/// and name. Serialised as the index: resolve it with [`TypeSpace::name`]
/// to print it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(u32);

impl TypeId {
    /// The id of the type at this index.
    ///
    /// # Panics
    /// When the index does not fit `u32` (more than four billion types).
    pub fn from_index(index: usize) -> TypeId {
        TypeId(u32::try_from(index).expect("fewer than 2^32 types"))
    }

    /// Its index in the list of types.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A type as used in a field, parameter or body.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A generated type.
    Named(TypeId),
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    Uuid,
    DateTime,
    Date,
    /// Bytes (`format: binary`).
    Bytes,
    /// Any JSON value.
    Json,
    Vec(Box<TypeRef>),
    /// String-keyed map.
    Map(Box<TypeRef>),
}

/// A generated type.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// The groups whose operations use it (indices in [`Api::groups`],
    /// ascending), found by `build::reach`: every group for a type the
    /// crate's own items (`ErrorBody`) use and for a component schema no
    /// operation uses, which are always compiled.
    pub used_by: Vec<usize>,
    /// Whether only answers hold it: no request (parameter, body) reaches
    /// it, nor is it a component schema no operation uses (whose use is
    /// unknown). Found by `build::reach`; a struct then gets
    /// `#[non_exhaustive]` (users make one with `new`, for the fake).
    pub response_only: bool,
    /// Where it was defined: a JSON pointer.
    pub origin: String,
    pub description: Option<String>,
    pub kind: TypeKind,
}

/// The shape of a generated type.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum TypeKind {
    /// A struct with named fields, and optionally the other properties as a map.
    Struct {
        fields: Vec<Field>,
        additional: Option<TypeRef>,
    },
    /// A string enum that keeps values it does not know.
    StringEnum { variants: Vec<Variant> },
    /// An integer enum that keeps values it does not know (`Other(i64)`).
    IntegerEnum { variants: Vec<IntegerVariant> },
    /// `oneOf`/`anyOf`: one variant per branch, tried in order, or chosen by
    /// the `discriminator` property when there is one.
    Union {
        variants: Vec<UnionVariant>,
        discriminator: Option<Discriminator>,
    },
    /// Another name for a type: `pub type X = Y;`.
    Alias(TypeRef),
    /// A `multipart/form-data` request body: a struct whose fields are sent
    /// as parts, in order (not a serde type: files are not JSON).
    Multipart { parts: Vec<FormPart> },
}

/// One field of a multipart body.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FormPart {
    /// The field; a file's type is [`TypeRef::Bytes`] (a `Vec` of them for
    /// several files under one name).
    pub field: Field,
    pub kind: PartKind,
    /// The field is an array: one part per item, all with the field's name.
    pub repeated: bool,
    /// The part's `Content-Type` from the media type's `encoding` map.
    pub content_type: Option<String>,
}

/// How a multipart field is written.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum PartKind {
    /// Bytes with a file name (`format: binary`).
    File,
    /// A scalar as text: strings, numbers, booleans, enums, dates.
    Text,
    /// Anything else as JSON (`application/json`, OpenAPI's default for
    /// objects).
    Json,
}

/// A struct field.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Field {
    /// Property name on the wire.
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// The binding of its parameter in the type's `new()` (which takes the
    /// required fields): `rust`, but `value_1` for a field `_1` (GitHub's
    /// `+1`), a binding clippy warns about; unique among the parameters.
    pub binding: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// The type refers back to the struct: store it behind a `Box`.
    pub boxed: bool,
    /// An `allOf` part that is not an object: its properties are read from
    /// the same JSON object (`#[serde(flatten)]`).
    pub flatten: bool,
    pub description: Option<String>,
    pub deprecated: bool,
    /// An optional field's scalar `default`, as JSON text (`"red"`, `2`),
    /// for its documentation; deserialisation leaves an absent field `None`.
    pub default: Option<String>,
    /// What `Debug` must not show of it (a string field only).
    pub secret: Secret,
}

#[cfg(test)]
impl Field {
    /// A field of the tests: `wire` on the wire, `rust` (and its binding)
    /// in Rust, no doc, default or secret.
    pub(crate) fn plain(wire: &str, rust: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            wire: wire.into(),
            rust: rust.into(),
            binding: rust.into(),
            ty,
            required,
            nullable: false,
            boxed: false,
            flatten: false,
            description: None,
            deprecated: false,
            default: None,
            secret: Secret::None,
        }
    }
}

/// What of a string field is a secret, by the property's vendor extension.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub enum Secret {
    #[default]
    None,
    /// `x-secret-query: true`: a URL whose query string is a credential (a
    /// signed, handed-out URL); `Debug` shows it without the query.
    Query,
    /// `x-secret: true`: the whole value; `Debug` shows `<redacted>`.
    Value,
}

/// A string-enum variant.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Variant {
    pub wire: String,
    pub rust: String,
}

/// An integer-enum variant.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IntegerVariant {
    pub value: i64,
    pub rust: String,
}

/// A `discriminator`: the property whose value names the branch.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Discriminator {
    /// The property's wire name.
    pub property: String,
    /// Property value → Rust name of the variant it selects, explicit
    /// `mapping` entries first, then the implicit ones (a `$ref` branch is
    /// selected by its schema's name).
    pub values: Vec<(String, String)>,
}

/// A `oneOf`/`anyOf` branch.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnionVariant {
    pub rust: String,
    pub ty: TypeRef,
    pub boxed: bool,
}

impl TypeRef {
    /// The generated type it names, through `Vec` and `Map`.
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.named(),
            _ => None,
        }
    }

    /// [`TypeRef::named`], to renumber it.
    fn named_mut(&mut self) -> Option<&mut TypeId> {
        match self {
            TypeRef::Named(id) => Some(id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.named_mut(),
            _ => None,
        }
    }
}

impl TypeKind {
    /// Every type it refers to directly: fields, variants, an alias's target.
    pub fn refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct { fields, additional } => {
                fields.iter().map(|f| &f.ty).chain(additional).collect()
            }
            TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(target) => vec![target],
            TypeKind::Multipart { parts } => parts.iter().map(|p| &p.field.ty).collect(),
            TypeKind::StringEnum { .. } | TypeKind::IntegerEnum { .. } => Vec::new(),
        }
    }

    /// [`TypeKind::refs`], to renumber them.
    fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct { fields, additional } => fields
                .iter_mut()
                .map(|f| &mut f.ty)
                .chain(additional)
                .collect(),
            TypeKind::Union { variants, .. } => variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Alias(target) => vec![target],
            TypeKind::Multipart { parts } => parts.iter_mut().map(|p| &mut p.field.ty).collect(),
            TypeKind::StringEnum { .. } | TypeKind::IntegerEnum { .. } => Vec::new(),
        }
    }
}

impl Operation {
    /// Every type its request or its answers use: parameters, the body
    /// (and its media-type enum), success and error bodies, sequential
    /// items.
    pub fn refs(&self) -> Vec<&TypeRef> {
        let mut refs = self.request_refs();
        refs.extend(self.response_refs());
        refs
    }

    /// Every type its request uses: parameters, the body and its
    /// media-type enum.
    pub fn request_refs(&self) -> Vec<&TypeRef> {
        let params = self.params.iter().map(|p| &p.ty);
        let body = self
            .body
            .iter()
            .flat_map(|b| std::iter::once(&b.ty).chain(b.media_types.as_ref().map(|m| &m.ty)));
        params.chain(body).collect()
    }

    /// Every type its answers use: success and error bodies, sequential
    /// items.
    pub fn response_refs(&self) -> Vec<&TypeRef> {
        let responses = self
            .success
            .iter()
            .chain(&self.errors)
            .filter_map(|r| r.body.as_ref().map(|(_, t)| t));
        let items = self.items.iter().map(|i| &i.item);
        responses.chain(items).collect()
    }
}

impl Operation {
    /// What `Debug`, tracing and errors call it: the `operationId`, and the
    /// representation of an `x-variants` operation (`GetIModels (minimal)`),
    /// so that two variants are told apart.
    pub fn label(&self) -> String {
        match &self.variant {
            Some(variant) => format!("{} ({variant})", self.id),
            None => self.id.clone(),
        }
    }
}

impl Operation {
    /// Every type reference it holds, its extensions' included, to renumber
    /// them. Destructured field by field, so that a new field is not
    /// forgotten here.
    fn every_ref_mut(&mut self) -> Vec<&mut TypeRef> {
        let Operation {
            id: _,
            group: _,
            variant: _,
            method_name: _,
            fake_method: _,
            builder_name: _,
            http_method: _,
            path: _,
            path_parts: _,
            summary: _,
            description: _,
            deprecated: _,
            params,
            body,
            success,
            errors,
            output,
            authenticated: _,
            extensions: _,
            at: _,
            fixed_headers: _,
            idempotent: _,
            paging,
            waiter,
            repeat,
            download,
            flows,
            items,
        } = self;
        let mut refs: Vec<&mut TypeRef> = params.iter_mut().map(|p| &mut p.ty).collect();
        if let Some(Body {
            ty, media_types, ..
        }) = body
        {
            refs.push(ty);
            refs.extend(media_types.as_mut().map(|m| &mut m.ty));
        }
        refs.extend(
            success
                .iter_mut()
                .chain(errors.iter_mut())
                .filter_map(|r| r.body.as_mut().map(|(_, t)| t)),
        );
        match output {
            Output::Body(_, ty) => refs.push(ty),
            Output::WithHeaders { body, .. } => refs.extend(body.as_mut().map(|(_, t)| t)),
            Output::Unit | Output::PerStatus { .. } => {}
        }
        if let Some(Paging {
            items, item, next, ..
        }) = paging
        {
            refs.push(&mut items.target);
            refs.push(item);
            refs.extend(next.as_mut().map(|n| &mut n.target));
        }
        refs.extend(waiter.as_mut().map(|w| &mut w.state.target));
        refs.extend(repeat.as_mut().map(|r| &mut r.until.target));
        if let Some(Download {
            url,
            size,
            file_name,
            ..
        }) = download
        {
            refs.push(&mut url.target);
            refs.extend(size.as_mut().map(|s| &mut s.target));
            for part in file_name.iter_mut().flatten() {
                if let FileNamePart::Field(a) = part {
                    refs.push(&mut a.target);
                }
            }
        }
        for Flow {
            upload,
            created_id,
            then,
            ..
        } in flows
        {
            if let Some(FlowUpload {
                url, storage_type, ..
            }) = upload
            {
                refs.push(&mut url.target);
                refs.extend(storage_type.as_mut().map(|s| &mut s.target));
            }
            refs.extend(created_id.as_mut().and_then(FlowArg::ty_mut));
            for step in then {
                refs.extend(step.args.iter_mut().filter_map(FlowArg::ty_mut));
                refs.extend(step.body.as_mut().map(|b| &mut b.ty));
                refs.push(&mut step.output);
            }
        }
        refs.extend(items.as_mut().map(|i| &mut i.item));
        refs
    }
}

impl FlowArg {
    fn ty_mut(&mut self) -> Option<&mut TypeRef> {
        match self {
            FlowArg::Response(accessor) => Some(&mut accessor.target),
            FlowArg::Header { ty, .. } => Some(ty),
            FlowArg::Param(_) => None,
        }
    }
}

/// Keeps the types `keep` lists, in its order, and renumbers every
/// reference to them: in the kept types, in `operations` and in `more`. A
/// reference to a type left out (which the callers' walks rule out) becomes
/// any JSON value.
pub(crate) fn renumber<'a>(
    types: &mut Vec<TypeDef>,
    keep: &[TypeId],
    operations: &mut [Operation],
    more: impl IntoIterator<Item = &'a mut TypeRef>,
) {
    let mut new_id: Vec<Option<TypeId>> = vec![None; types.len()];
    for (i, old) in keep.iter().enumerate() {
        new_id[old.index()] = Some(TypeId::from_index(i));
    }
    let mut slots: Vec<Option<TypeDef>> = std::mem::take(types).into_iter().map(Some).collect();
    *types = keep
        .iter()
        .filter_map(|old| slots[old.index()].take())
        .collect();
    let mut update = |ty: &mut TypeRef| {
        let Some(id) = ty.named_mut() else {
            return;
        };
        match new_id[id.index()] {
            Some(new) => *id = new,
            None => {
                debug_assert!(false, "a reference to a type left out: {id:?}");
                *ty = TypeRef::Json;
            }
        }
    };
    for def in types.iter_mut() {
        def.kind.refs_mut().into_iter().for_each(&mut update);
    }
    for op in operations {
        op.every_ref_mut().into_iter().for_each(&mut update);
    }
    more.into_iter().for_each(update);
}

impl Api {
    /// The type with this Rust name. One search: to look up many, build a
    /// [`TypeSpace::name_index`].
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }
}

/// The questions every stage asks of the generated types, answered in one
/// place: the model's list and the one the build stage is still filling
/// both answer them. A type is found by its [`TypeId`]; aliases
/// (`A: $ref B`) are followed here and nowhere else.
pub trait TypeSpace {
    /// The types, in the order of their ids.
    fn defs(&self) -> &[TypeDef];

    /// The type with this id (not `get`, which a slice's own method would
    /// shadow).
    ///
    /// # Panics
    /// When no type has the id: ids are made with their types, so that is a
    /// bug (an id of another list).
    fn def(&self, id: TypeId) -> &TypeDef {
        &self.defs()[id.index()]
    }

    /// The Rust name of the type with this id.
    fn name(&self, id: TypeId) -> &str {
        &self.def(id).name
    }

    /// Rust name → id, for the callers that start from names (the change
    /// report): built once, asked many times.
    fn name_index(&self) -> HashMap<&str, TypeId> {
        self.defs()
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.as_str(), TypeId::from_index(i)))
            .collect()
    }

    /// What a type stands for once aliases of named types are followed: a
    /// named type that is not an alias, or what an alias's chain ends in.
    /// `None` for an alias cycle, which the build stage's alias check
    /// reports with its place.
    fn unalias<'a>(&'a self, ty: &'a TypeRef) -> Option<&'a TypeRef> {
        let mut current = ty;
        // Each step visits another type; more steps than types is a cycle.
        for _ in 0..=self.defs().len() {
            let TypeRef::Named(id) = current else {
                return Some(current);
            };
            match &self.def(*id).kind {
                TypeKind::Alias(target) => current = target,
                _ => return Some(current),
            }
        }
        None
    }

    /// The definition a type stands for, aliases followed.
    fn definition(&self, ty: &TypeRef) -> Option<&TypeDef> {
        match self.unalias(ty)? {
            TypeRef::Named(id) => Some(self.def(*id)),
            _ => None,
        }
    }

    /// The properties of an object type, aliases followed.
    fn struct_fields(&self, ty: &TypeRef) -> Option<&[Field]> {
        match &self.definition(ty)?.kind {
            TypeKind::Struct { fields, .. } => Some(fields),
            _ => None,
        }
    }

    /// Whether values of a type are written as plain text (in a path, a
    /// query, a header, a form): scalars, enums, and aliases of them.
    fn is_text(&self, ty: &TypeRef) -> bool {
        match self.unalias(ty) {
            Some(TypeRef::Named(id)) => matches!(
                self.def(*id).kind,
                TypeKind::StringEnum { .. } | TypeKind::IntegerEnum { .. }
            ),
            Some(TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Json | TypeRef::Bytes) | None => {
                false
            }
            Some(_) => true,
        }
    }

    /// A short CamelCase-able name of a type, for union variants and
    /// messages: a generated type's name, `String`, `IntegerList`, …
    fn short_name(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => self.name(*id).to_string(),
            TypeRef::String => "String".into(),
            TypeRef::Bool => "Bool".into(),
            TypeRef::I32 | TypeRef::I64 => "Integer".into(),
            TypeRef::F32 | TypeRef::F64 => "Number".into(),
            TypeRef::Uuid => "Uuid".into(),
            TypeRef::DateTime => "DateTime".into(),
            TypeRef::Date => "Date".into(),
            TypeRef::Bytes => "Bytes".into(),
            TypeRef::Json => "Json".into(),
            TypeRef::Vec(inner) => format!("{}List", self.short_name(inner)),
            TypeRef::Map(inner) => format!("{}Map", self.short_name(inner)),
        }
    }
}

impl TypeSpace for [TypeDef] {
    fn defs(&self) -> &[TypeDef] {
        self
    }
}

impl TypeSpace for Vec<TypeDef> {
    fn defs(&self) -> &[TypeDef] {
        self
    }
}

#[cfg(test)]
mod type_space_tests {
    use super::*;

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.to_string(),
            used_by: Vec::new(),
            origin: format!("#/components/schemas/{name}"),
            description: None,
            kind,
            response_only: false,
        }
    }

    /// The types of [`space`] by name, in its order.
    const NAMES: [&str; 9] = [
        "Id", "ItemId", "Color", "Shade", "Tags", "Item", "Thing", "Ping", "Pong",
    ];

    fn named(name: &str) -> TypeRef {
        let index = NAMES.iter().position(|n| *n == name).expect("a test type");
        TypeRef::Named(TypeId::from_index(index))
    }

    fn space() -> Vec<TypeDef> {
        let field = Field::plain("id", "id", TypeRef::String, true);
        vec![
            def("Id", TypeKind::Alias(TypeRef::String)),
            def("ItemId", TypeKind::Alias(named("Id"))),
            def(
                "Color",
                TypeKind::StringEnum {
                    variants: Vec::new(),
                },
            ),
            def("Shade", TypeKind::Alias(named("Color"))),
            def(
                "Tags",
                TypeKind::Alias(TypeRef::Vec(Box::new(TypeRef::String))),
            ),
            def(
                "Item",
                TypeKind::Struct {
                    fields: vec![field],
                    additional: None,
                },
            ),
            def("Thing", TypeKind::Alias(named("Item"))),
            def("Ping", TypeKind::Alias(named("Pong"))),
            def("Pong", TypeKind::Alias(named("Ping"))),
        ]
    }

    #[test]
    fn aliases_are_followed_to_what_they_stand_for() {
        let types = space();
        assert_eq!(types.unalias(&named("ItemId")), Some(&TypeRef::String));
        assert_eq!(types.unalias(&named("Thing")), Some(&named("Item")));
        assert_eq!(types.unalias(&TypeRef::Bool), Some(&TypeRef::Bool));
        assert_eq!(
            types.definition(&named("Thing")).map(|d| d.name.as_str()),
            Some("Item")
        );
        assert_eq!(
            types.struct_fields(&named("Thing")).map(<[Field]>::len),
            Some(1)
        );
        assert_eq!(types.struct_fields(&named("Color")), None);
        let index = types.name_index();
        for (i, name) in NAMES.iter().enumerate() {
            assert_eq!(index.get(name), Some(&TypeId::from_index(i)));
            assert_eq!(types.name(TypeId::from_index(i)), *name);
        }
    }

    #[test]
    fn an_alias_cycle_stands_for_nothing() {
        let types = space();
        assert_eq!(types.unalias(&named("Ping")), None);
        assert!(types.definition(&named("Pong")).is_none());
        assert!(!types.is_text(&named("Ping")));
    }

    #[test]
    fn text_is_scalars_enums_and_their_aliases() {
        let types = space();
        for text in ["Id", "ItemId", "Color", "Shade"] {
            assert!(types.is_text(&named(text)), "{text}");
        }
        for not_text in ["Tags", "Item", "Thing"] {
            assert!(!types.is_text(&named(not_text)), "{not_text}");
        }
        assert!(types.is_text(&TypeRef::I64));
        assert!(!types.is_text(&TypeRef::Json));
    }

    #[test]
    fn short_names_spell_named_types_by_name() {
        let types = space();
        let list = TypeRef::Vec(Box::new(named("Color")));
        assert_eq!(types.short_name(&list), "ColorList");
        assert_eq!(
            types.short_name(&TypeRef::Map(Box::new(TypeRef::I64))),
            "IntegerMap"
        );
    }

    /// Renumbering keeps the listed types in the listed order and moves
    /// every reference with its type, in the types and in the operations.
    #[test]
    fn renumbering_moves_references_with_their_types() {
        let mut types = space();
        // Keep Item, ItemId, Id (in that order): ItemId's alias of Id moves.
        let keep = [named("Item"), named("ItemId"), named("Id")].map(|t| t.named().expect("named"));
        let mut extra = TypeRef::Vec(Box::new(named("ItemId")));
        renumber(&mut types, &keep, &mut [], [&mut extra]);
        let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Item", "ItemId", "Id"]);
        assert_eq!(
            types[1].kind,
            TypeKind::Alias(TypeRef::Named(TypeId::from_index(2)))
        );
        assert_eq!(
            extra,
            TypeRef::Vec(Box::new(TypeRef::Named(TypeId::from_index(1))))
        );
        assert_eq!(types.unalias(&extra), Some(&extra));
        assert_eq!(
            types.unalias(&TypeRef::Named(TypeId::from_index(1))),
            Some(&TypeRef::String)
        );
    }
}
