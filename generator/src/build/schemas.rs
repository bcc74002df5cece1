//! Schemas → named types and type references.
//!
//! Every component schema becomes a named type (a struct, an enum, a union
//! or an alias). An inline schema that needs a declaration of its own (an
//! object with properties, a string enum, a union) is named after where it
//! sits: `CreateIModel.extent.southWest` → `CreateIModelExtentSouthWest`.

use std::collections::{BTreeSet, HashMap};

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::error::{ErrorKind, Pointer, Problems, Result};
use crate::model::{
    Discriminator, Field, IntegerVariant, Operation, Secret, TypeDef, TypeId, TypeKind, TypeRef,
    TypeSpace, UnionVariant, Variant,
};
use crate::names::{self, Namespace};
use crate::pointer;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Names that generated type names must not take, because the generated code
/// uses them unqualified.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "Serialize",
    "Deserialize",
    "BTreeMap",
    "Uuid",
    "DateTime",
    "NaiveDate",
    "Utc",
    "Bytes",
    "Value",
    "Self",
    "PartialEq",
    "Eq",
    "Hash",
    "Display",
    "FromStr",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Vec",
    "ToString",
    "From",
    "Into",
];

/// Builds types from schemas; owns the type namespace.
///
/// `types` is indexed by [`TypeId`]: every component has its id (and its
/// name) before any is defined, so that references between components,
/// cycles included, are ids from the start; the ids of inline and declared
/// types follow as they are met. `order` is the order the crate lists
/// them in (each component where it is defined, followed by the inline
/// types it holds); [`Schemas::finish`] puts the list in that order.
pub struct Schemas<'a> {
    components: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>,
    component_ids: HashMap<String, TypeId>,
    namespace: Namespace,
    pub types: Vec<TypeDef>,
    order: Vec<TypeId>,
    pub notes: Vec<String>,
    all_of_depth: usize,
    inline_done: HashMap<String, Resolved>,
}

/// How deep `allOf`s may nest (through `$ref`s) before we call it a cycle.
const MAX_ALL_OF_DEPTH: usize = 64;

/// A resolved type and whether JSON `null` is one of its values.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub ty: TypeRef,
    pub nullable: bool,
    pub description: Option<String>,
}

impl<'a> Schemas<'a> {
    /// Claims names for every component schema, in document order, so that
    /// component types keep their names and inline types yield, and gives
    /// each its id, a placeholder (any JSON value) until it is defined.
    pub fn new(components: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>) -> Self {
        let mut namespace = Namespace::with_reserved(RESERVED_TYPE_NAMES);
        let mut notes = Vec::new();
        let mut types = Vec::with_capacity(components.len());
        let root = Pointer::root().key("components").key("schemas");
        let component_ids = components
            .keys()
            .map(|key| {
                let owner = root.key(key);
                let camel = names::camel(key);
                let wanted = names::type_name_away_from_root(camel.clone());
                if wanted != camel {
                    notes.push(format!(
                        "{}: named `{wanted}` in Rust because `{camel}` is an item of the crate root (`crate::{camel}`)",
                        owner.as_str()
                    ));
                }
                let name = namespace.claim_noted(&wanted, owner.as_str(), &mut notes);
                types.push(placeholder(name, owner.as_str()));
                (key.clone(), TypeId::from_index(types.len() - 1))
            })
            .collect();
        Schemas {
            components,
            component_ids,
            namespace,
            types,
            order: Vec::new(),
            notes,
            all_of_depth: 0,
            inline_done: HashMap::new(),
        }
    }

    /// Defines every component schema; one with a problem keeps its
    /// placeholder (any JSON value) and the problem is recorded.
    pub fn define_components(&mut self, problems: &mut Problems) {
        let root = Pointer::root().key("components").key("schemas");
        for (key, schema) in self.components {
            let at = root.key(key);
            let id = self.component_ids[key];
            self.order.push(id);
            let name = self.types.name(id).to_string();
            if let Some((kind, description)) = problems.check(self.component(&name, schema, &at)) {
                let def = &mut self.types[id.index()];
                def.kind = kind;
                def.description = description;
            }
        }
    }

    /// The types in the crate's order, each reference in them and in
    /// `operations` renumbered to match, and the notes made on the way.
    pub fn finish(self, operations: &mut [Operation]) -> (Vec<TypeDef>, Vec<String>) {
        let mut types = self.types;
        crate::model::renumber(&mut types, &self.order, operations, []);
        (types, self.notes)
    }

    /// The kind and description of the component schema `name`.
    fn component(
        &mut self,
        name: &str,
        schema: &ReferenceOr<Schema>,
        at: &Pointer,
    ) -> Result<(TypeKind, Option<String>)> {
        Ok(match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.reference(reference, at)?;
                (TypeKind::Alias(target.ty), None)
            }
            ReferenceOr::Item(schema) if matches!(&schema.schema_kind, SchemaKind::AllOf { all_of } if all_of.len() == 1) =>
            {
                // `allOf: [X]` alone (a description beside a `$ref`) names X again.
                let target = self.inline(schema, name, at)?;
                (
                    TypeKind::Alias(target.ty),
                    schema.schema_data.description.clone(),
                )
            }
            ReferenceOr::Item(schema) => {
                let description = schema.schema_data.description.clone();
                let kind = match self.declared_kind(name, schema, at)? {
                    Some(kind) => kind,
                    None => TypeKind::Alias(self.primitive(name, schema, at)?.ty),
                };
                (kind, description)
            }
        })
    }

    /// Declares a type the document does not name as such (a multipart
    /// form), under a free name close to `wanted`.
    pub fn declare(
        &mut self,
        wanted: &str,
        origin: &str,
        description: Option<String>,
        kind: TypeKind,
    ) -> TypeId {
        let name = self
            .namespace
            .claim(&names::type_name_away_from_root(wanted.to_string()));
        let id = self.reserve(name, origin);
        let def = &mut self.types[id.index()];
        def.description = description;
        def.kind = kind;
        id
    }

    /// A new type, a placeholder until its kind is known, listed here.
    fn reserve(&mut self, name: String, origin: &str) -> TypeId {
        self.types.push(placeholder(name, origin));
        let id = TypeId::from_index(self.types.len() - 1);
        self.order.push(id);
        id
    }

    /// Takes back the type [`Schemas::reserve`] just made, and its name.
    fn unreserve(&mut self, id: TypeId) {
        if self.order.last() == Some(&id) {
            self.order.pop();
        } else {
            self.order.retain(|&listed| listed != id);
        }
        self.namespace.release(self.types.name(id));
        // Nothing refers to it; unless types were made after it, its slot
        // goes too (else `finish` leaves it out, as it is not listed).
        if id.index() + 1 == self.types.len() {
            self.types.pop();
        }
    }

    /// The type for a schema or reference met at `at`; `hint` names it if it
    /// needs a declaration.
    pub fn resolve(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        at: &Pointer,
    ) -> Result<Resolved> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, at),
            ReferenceOr::Item(schema) => self.inline(schema, hint, at),
        }
    }

    /// Like [`Schemas::resolve`], for the boxed schemas `openapiv3` uses in
    /// properties and items.
    pub fn resolve_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        at: &Pointer,
    ) -> Result<Resolved> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, at),
            ReferenceOr::Item(schema) => self.inline(schema, hint, at),
        }
    }

    fn reference(&mut self, reference: &str, at: &Pointer) -> Result<Resolved> {
        let key = pointer::component_of_ref(reference, "schemas").ok_or_else(|| {
            at.error(
                ErrorKind::Reference,
                crate::refs::unresolved(reference, SCHEMA_PREFIX),
            )
        })?;
        let id = self.component_ids.get(&key).copied().ok_or_else(|| {
            at.error(
                ErrorKind::Reference,
                format!(
                "$ref `{reference}` points at no schema: there is no `components/schemas/{key}`"
            ),
            )
        })?;
        let nullable = self.component_nullable(&key, &mut BTreeSet::new());
        Ok(Resolved {
            ty: TypeRef::Named(id),
            nullable,
            description: None,
        })
    }

    /// Whether a component admits `null`, following alias chains (with a
    /// guard against `$ref` cycles, which [`crate::build`] reports).
    fn component_nullable(&self, key: &str, seen: &mut BTreeSet<String>) -> bool {
        if !seen.insert(key.to_string()) {
            return false;
        }
        match self.components.get(key) {
            Some(ReferenceOr::Item(schema)) => schema.schema_data.nullable,
            Some(ReferenceOr::Reference { reference }) => {
                pointer::component_of_ref(reference, "schemas")
                    .is_some_and(|next| self.component_nullable(&next, seen))
            }
            None => false,
        }
    }

    /// An inline schema is declared once however often it is reached (a
    /// shared parameter or response is reached from every operation that
    /// uses it): results are remembered by the schema's place.
    fn inline(&mut self, schema: &Schema, hint: &str, at: &Pointer) -> Result<Resolved> {
        if let Some(done) = self.inline_done.get(at.as_str()) {
            return Ok(done.clone());
        }
        let resolved = self.inline_uncached(schema, hint, at)?;
        self.inline_done
            .insert(at.as_str().to_string(), resolved.clone());
        Ok(resolved)
    }

    fn inline_uncached(&mut self, schema: &Schema, hint: &str, at: &Pointer) -> Result<Resolved> {
        let nullable = schema.schema_data.nullable;
        let description = schema.schema_data.description.clone();
        // An allOf of one reference is the 3.0 way to put a description or
        // `nullable` beside a `$ref`: it means the referenced type.
        if let SchemaKind::AllOf { all_of } = &schema.schema_kind {
            if let [only] = all_of.as_slice() {
                let mut resolved = self.resolve(only, hint, &at.key("allOf").index(0))?;
                resolved.nullable |= nullable;
                resolved.description = description;
                return Ok(resolved);
            }
        }
        let name = self
            .namespace
            .claim(&names::type_name_away_from_root(names::camel(hint)));
        let id = self.reserve(name.clone(), at.as_str());
        match self.declared_kind(&name, schema, at)? {
            Some(kind) => {
                let def = &mut self.types[id.index()];
                def.kind = kind;
                def.description = description.clone();
                Ok(Resolved {
                    ty: TypeRef::Named(id),
                    nullable,
                    description,
                })
            }
            None => {
                // No declaration needed after all: give the name back.
                self.unreserve(id);
                let mut resolved = self.primitive(hint, schema, at)?;
                resolved.nullable |= nullable;
                resolved.description = description;
                Ok(resolved)
            }
        }
    }

    /// The declaration a schema needs, or `None` when a plain Rust type
    /// (`String`, `Vec<T>`, a map) expresses it.
    fn declared_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        at: &Pointer,
    ) -> Result<Option<TypeKind>> {
        let mut kind = self.shape_kind(name, schema, at)?;
        if let (
            Some(TypeKind::Union {
                variants,
                discriminator,
            }),
            Some(found),
        ) = (&mut kind, &schema.schema_data.discriminator)
        {
            *discriminator = self.discriminator(found, union_branches(schema), variants, at)?;
        }
        Ok(kind)
    }

    /// A union's `discriminator`, with each property value resolved to the
    /// variant it selects: the `mapping`, then each `$ref` branch the mapping
    /// does not name, by its schema's name. Mapping entries that name no
    /// branch are left out: such values are then decoded like an unknown
    /// value (branches in order).
    fn discriminator(
        &mut self,
        found: &openapiv3::Discriminator,
        branches: &[ReferenceOr<Schema>],
        variants: &[UnionVariant],
        at: &Pointer,
    ) -> Result<Option<Discriminator>> {
        let variant_of = |ty: &TypeRef| {
            variants
                .iter()
                .find(|v| &v.ty == ty)
                .map(|v| v.rust.clone())
        };
        let mut values: Vec<(String, String)> = Vec::new();
        let mapping_at = at.key("discriminator").key("mapping");
        for (value, target) in &found.mapping {
            // A mapping value is a `$ref` or a bare schema name.
            let reference = if target.starts_with('#') {
                target.clone()
            } else {
                pointer::ref_to_component("schemas", target)
            };
            let ty = self.reference(&reference, &mapping_at.key(value))?.ty;
            if let Some(rust) = variant_of(&ty) {
                values.push((value.clone(), rust));
            }
        }
        for (branch, variant) in branches.iter().zip(variants) {
            if let ReferenceOr::Reference { reference } = branch {
                if let Some(key) = pointer::component_of_ref(reference, "schemas") {
                    // A branch the mapping names is selected by the mapping only.
                    let mapped = values.iter().any(|(v, r)| *v == key || *r == variant.rust);
                    if !mapped {
                        values.push((key, variant.rust.clone()));
                    }
                }
            }
        }
        Ok((!values.is_empty()).then(|| Discriminator {
            property: found.property_name.clone(),
            values,
        }))
    }

    /// [`Self::declared_kind`] without the discriminator.
    fn shape_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        at: &Pointer,
    ) -> Result<Option<TypeKind>> {
        Ok(Some(match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => self
                .object(
                    name,
                    &object.properties,
                    &object.required,
                    object.additional_properties.as_ref(),
                    at,
                )?,
            SchemaKind::Type(Type::Object(object))
                if matches!(
                    object.additional_properties,
                    Some(AdditionalProperties::Any(false))
                ) =>
            {
                TypeKind::Struct {
                    fields: Vec::new(),
                    additional: None,
                }
            }
            SchemaKind::Type(Type::String(string))
                if string.enumeration.iter().any(Option::is_some) =>
            {
                TypeKind::StringEnum {
                    variants: variants(string.enumeration.iter().flatten().map(String::as_str)),
                }
            }
            SchemaKind::Type(Type::Integer(integer))
                if integer.enumeration.iter().any(Option::is_some) =>
            {
                TypeKind::IntegerEnum {
                    variants: integer_variants(
                        &integer
                            .enumeration
                            .iter()
                            .flatten()
                            .copied()
                            .collect::<Vec<_>>(),
                        &schema.schema_data.extensions,
                    ),
                }
            }
            SchemaKind::AllOf { all_of } => self.all_of(name, all_of, at)?,
            SchemaKind::OneOf { one_of } => self.union(name, one_of, &at.key("oneOf"))?,
            SchemaKind::AnyOf { any_of } => self.union(name, any_of, &at.key("anyOf"))?,
            SchemaKind::Any(any) => {
                return self.any_kind(name, any, &schema.schema_data.extensions, at)
            }
            _ => return Ok(None),
        }))
    }

    /// Schemas whose keywords do not fit one `type` (`properties` with
    /// `allOf`, an `enum` without `type`, …).
    fn any_kind(
        &mut self,
        name: &str,
        any: &AnySchema,
        extensions: &indexmap::IndexMap<String, serde_json::Value>,
        at: &Pointer,
    ) -> Result<Option<TypeKind>> {
        if !any.all_of.is_empty() && (any.one_of.is_empty() && any.any_of.is_empty()) {
            let mut kind = self.all_of(name, &any.all_of, at)?;
            if let TypeKind::Struct { fields, additional } = &mut kind {
                let own = self.object(
                    name,
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    at,
                )?;
                if let TypeKind::Struct {
                    fields: own_fields,
                    additional: own_additional,
                } = own
                {
                    merge_fields(fields, own_fields);
                    if additional.is_none() {
                        *additional = own_additional;
                    }
                }
            }
            return Ok(Some(kind));
        }
        if !any.one_of.is_empty() {
            return self.union(name, &any.one_of, &at.key("oneOf")).map(Some);
        }
        if !any.any_of.is_empty() {
            return self.union(name, &any.any_of, &at.key("anyOf")).map(Some);
        }
        if !any.properties.is_empty() {
            return self
                .object(
                    name,
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    at,
                )
                .map(Some);
        }
        // `enum: [null]` alone allows no string: it is not a string enum.
        if any.enumeration.iter().any(|v| v.is_string())
            && any.enumeration.iter().all(|v| v.is_string() || v.is_null())
        {
            let values = any.enumeration.iter().filter_map(|v| v.as_str());
            return Ok(Some(TypeKind::StringEnum {
                variants: variants(values),
            }));
        }
        if any.typ.as_deref() == Some("integer")
            && any.enumeration.iter().any(|v| v.is_i64())
            && any.enumeration.iter().all(|v| v.is_i64() || v.is_null())
        {
            let values: Vec<i64> = any.enumeration.iter().filter_map(|v| v.as_i64()).collect();
            return Ok(Some(TypeKind::IntegerEnum {
                variants: integer_variants(&values, extensions),
            }));
        }
        Ok(None)
    }

    fn object(
        &mut self,
        name: &str,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &Pointer,
    ) -> Result<TypeKind> {
        let mut field_names = Namespace::with_reserved(&["additional_properties"]);
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, schema) in properties {
            let here = at.key("properties").key(wire);
            let resolved =
                self.resolve_boxed(schema, &format!("{name}_{}", names::camel(wire)), &here)?;
            let deprecated = matches!(schema, ReferenceOr::Item(s) if s.schema_data.deprecated);
            let is_required = required.contains(wire);
            let default = match schema {
                ReferenceOr::Item(s) if !is_required => scalar_default(&s.schema_data),
                _ => None,
            };
            let secret = match schema {
                ReferenceOr::Item(s) => secret(&s.schema_data, &resolved.ty, &here)?,
                ReferenceOr::Reference { .. } => Secret::None,
            };
            fields.push(Field {
                wire: wire.clone(),
                rust: field_names.claim(&names::snake(wire)),
                // Chosen once the struct is whole: `constructor_bindings`.
                binding: String::new(),
                ty: resolved.ty,
                required: is_required,
                nullable: resolved.nullable,
                boxed: false,
                flatten: false,
                description: resolved.description,
                deprecated,
                default,
                secret,
            });
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(schema)) => Some(
                self.resolve(
                    schema,
                    &format!("{name}_Value"),
                    &at.key("additionalProperties"),
                )?
                .ty,
            ),
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            _ => None,
        };
        Ok(TypeKind::Struct { fields, additional })
    }

    /// `allOf`: the properties of every part, merged into one struct. A part
    /// that is not an object (a union, say) is kept whole as a flattened field.
    fn all_of(
        &mut self,
        name: &str,
        parts: &[ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Result<TypeKind> {
        if self.all_of_depth >= MAX_ALL_OF_DEPTH {
            return Err(at.error(
                ErrorKind::Reference,
                "allOf nests too deeply: is there a $ref cycle through allOf?",
            ));
        }
        self.all_of_depth += 1;
        let result = self.all_of_inner(name, parts, at);
        self.all_of_depth -= 1;
        result
    }

    fn all_of_inner(
        &mut self,
        name: &str,
        parts: &[ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Result<TypeKind> {
        let mut fields: Vec<Field> = Vec::new();
        let mut additional = None;
        let mut seen = BTreeSet::new();
        for (i, part) in parts.iter().enumerate() {
            let here = at.key("allOf").index(i);
            // A part behind a `$ref` is read at its own place, so that what
            // it holds is named (and its problems told) where it is written.
            let (schema, place) = follow(self.components, part, &here, &mut seen)?;
            let object_like = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => Some((
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    None,
                )),
                SchemaKind::AllOf { all_of } => {
                    Some((&*EMPTY_PROPERTIES, &EMPTY_REQUIRED, None, Some(all_of)))
                }
                SchemaKind::Any(any)
                    if any.one_of.is_empty()
                        && any.any_of.is_empty()
                        && (any.typ.as_deref().is_none_or(|t| t == "object")) =>
                {
                    Some((
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        Some(&any.all_of),
                    ))
                }
                _ => None,
            };
            match object_like {
                Some((properties, required, more, nested)) => {
                    if let Some(nested) = nested.filter(|n| !n.is_empty()) {
                        if let TypeKind::Struct {
                            fields: inner,
                            additional: extra,
                        } = self.all_of(name, nested, &place)?
                        {
                            merge_fields(&mut fields, inner);
                            additional = additional.or(extra);
                        }
                    }
                    if let TypeKind::Struct {
                        fields: own,
                        additional: extra,
                    } = self.object(name, properties, required, more, &place)?
                    {
                        merge_fields(&mut fields, own);
                        additional = additional.or(extra);
                    }
                }
                None => {
                    let resolved = self.resolve(part, &format!("{name}_Part{}", i + 1), &here)?;
                    fields.push(Field {
                        wire: String::new(),
                        rust: format!("part_{}", i + 1),
                        binding: String::new(),
                        ty: resolved.ty,
                        required: true,
                        nullable: false,
                        boxed: false,
                        flatten: true,
                        description: resolved.description,
                        deprecated: false,
                        default: None,
                        secret: Secret::None,
                    });
                }
            }
        }
        Ok(TypeKind::Struct { fields, additional })
    }

    fn union(
        &mut self,
        name: &str,
        branches: &[ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Result<TypeKind> {
        let mut variant_names = Namespace::default();
        let mut variants = Vec::with_capacity(branches.len());
        for (i, branch) in branches.iter().enumerate() {
            let resolved =
                self.resolve(branch, &format!("{name}_Variant{}", i + 1), &at.index(i))?;
            let wanted = match &resolved.ty {
                TypeRef::Named(id) => self.types.name(*id).to_string(),
                other => names::camel(&self.types.short_name(other)),
            };
            variants.push(UnionVariant {
                rust: variant_names.claim(&wanted),
                ty: resolved.ty,
                boxed: false,
            });
        }
        Ok(TypeKind::Union {
            variants,
            discriminator: None,
        })
    }

    /// Schemas that map onto a Rust type without a declaration.
    fn primitive(&mut self, hint: &str, schema: &Schema, at: &Pointer) -> Result<Resolved> {
        let nullable = schema.schema_data.nullable;
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => string_type(&s.format),
            SchemaKind::Type(Type::Integer(i)) => match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(n)) => match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(array)) => self.list_of(array.items.as_ref(), hint, at)?,
            SchemaKind::Type(Type::Object(object)) => {
                self.map_of(object.additional_properties.as_ref(), hint, at)?
            }
            SchemaKind::Any(any) => self.any_primitive(hint, any, at)?,
            SchemaKind::Not { .. }
            | SchemaKind::AllOf { .. }
            | SchemaKind::OneOf { .. }
            | SchemaKind::AnyOf { .. } => TypeRef::Json,
        };
        Ok(Resolved {
            ty,
            nullable,
            description: schema.schema_data.description.clone(),
        })
    }

    fn any_primitive(&mut self, hint: &str, any: &AnySchema, at: &Pointer) -> Result<TypeRef> {
        Ok(match any.typ.as_deref() {
            Some("string") => string_type(&match any.format.as_deref() {
                Some(f) => VariantOrUnknownOrEmpty::Unknown(f.to_string()),
                None => VariantOrUnknownOrEmpty::Empty,
            }),
            Some("integer") if any.format.as_deref() == Some("int32") => TypeRef::I32,
            Some("integer") => TypeRef::I64,
            Some("number") if any.format.as_deref() == Some("float") => TypeRef::F32,
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("array") => self.list_of(any.items.as_ref(), hint, at)?,
            Some("object") => self.map_of(any.additional_properties.as_ref(), hint, at)?,
            Some("null") | None => TypeRef::Json,
            Some(other) => {
                return Err(at.key("type").error(ErrorKind::Invalid, format!(
                    "unknown type `{other}`; expected one of string, integer, number, boolean, array, object, null"
                )))
            }
        })
    }

    /// `Vec<T>` for an array schema's `items` (any JSON value when absent).
    fn list_of(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        hint: &str,
        at: &Pointer,
    ) -> Result<TypeRef> {
        Ok(TypeRef::Vec(Box::new(match items {
            Some(items) => {
                self.resolve_boxed(items, &format!("{hint}_Item"), &at.key("items"))?
                    .ty
            }
            None => TypeRef::Json,
        })))
    }

    /// A string-keyed map for an object schema without properties.
    fn map_of(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        at: &Pointer,
    ) -> Result<TypeRef> {
        Ok(TypeRef::Map(Box::new(match additional {
            Some(AdditionalProperties::Schema(s)) => {
                self.resolve(s, &format!("{hint}_Value"), &at.key("additionalProperties"))?
                    .ty
            }
            _ => TypeRef::Json,
        })))
    }
}

/// A type not defined yet: any JSON value (what a component with a problem
/// stays).
fn placeholder(name: String, origin: &str) -> TypeDef {
    TypeDef {
        name,
        used_by: Vec::new(),
        response_only: false,
        origin: origin.to_string(),
        description: None,
        kind: TypeKind::Alias(TypeRef::Json),
    }
}

/// Names the parameter of each field in its type's `new()`
/// ([`Field::binding`]): the field's own name, but `value_1` for a name of
/// only `_` and digits (`_1`), unique among the type's fields.
pub fn constructor_bindings(types: &mut [TypeDef]) {
    for def in types {
        let fields: Vec<&mut Field> = match &mut def.kind {
            TypeKind::Struct { fields, .. } => fields.iter_mut().collect(),
            TypeKind::Multipart { parts } => parts.iter_mut().map(|p| &mut p.field).collect(),
            _ => continue,
        };
        let plain = |rust: &str| !rust.chars().all(|c| c == '_' || c.is_ascii_digit());
        let mut taken = Namespace::default();
        for field in fields.iter().filter(|f| plain(&f.rust)) {
            taken.claim(&field.rust);
        }
        for field in fields {
            field.binding = if plain(&field.rust) {
                field.rust.clone()
            } else {
                taken.claim(&format!("value{}", field.rust))
            };
        }
    }
}

/// Marks the struct fields and union variants that must be boxed because
/// their type contains the type that holds them.
pub fn box_recursive_types(types: &mut [TypeDef]) {
    let edges: Vec<Vec<TypeId>> = types.iter().map(|t| direct_children(&t.kind)).collect();
    let reaches = |from: TypeId, to: TypeId| -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(edges[n.index()].iter().copied());
            }
        }
        false
    };
    let mut boxes: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (owner, def) in types.iter().enumerate() {
        let mut check = |ty: &TypeRef, member: usize| {
            if let TypeRef::Named(target) = ty {
                if reaches(*target, TypeId::from_index(owner)) {
                    boxes.insert((owner, member));
                }
            }
        };
        match &def.kind {
            TypeKind::Struct { fields, .. } => {
                fields.iter().enumerate().for_each(|(i, f)| check(&f.ty, i))
            }
            TypeKind::Union { variants, .. } => variants
                .iter()
                .enumerate()
                .for_each(|(i, v)| check(&v.ty, i)),
            _ => {}
        }
    }
    for (owner, member) in boxes {
        match &mut types[owner].kind {
            TypeKind::Struct { fields, .. } => fields[member].boxed = true,
            TypeKind::Union { variants, .. } => variants[member].boxed = true,
            _ => {}
        }
    }
}

/// The `oneOf` (or else `anyOf`) branches of a schema.
fn union_branches(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => one_of,
        SchemaKind::AnyOf { any_of } => any_of,
        SchemaKind::Any(any) if !any.one_of.is_empty() => &any.one_of,
        SchemaKind::Any(any) => &any.any_of,
        _ => &[],
    }
}

/// Follows `$ref`s to the schema they name, and the place it is written.
fn follow<'s>(
    components: &'s indexmap::IndexMap<String, ReferenceOr<Schema>>,
    schema: &'s ReferenceOr<Schema>,
    at: &Pointer,
    seen: &mut BTreeSet<String>,
) -> Result<(&'s Schema, Pointer)> {
    let mut current = schema;
    let mut place = at.clone();
    loop {
        match current {
            ReferenceOr::Item(schema) => return Ok((schema, place)),
            ReferenceOr::Reference { reference } => {
                if !seen.insert(reference.clone()) {
                    return Err(at.error(
                        ErrorKind::Reference,
                        format!("$ref cycle through `{reference}`: an allOf cannot contain itself"),
                    ));
                }
                let key = pointer::component_of_ref(reference, "schemas").ok_or_else(|| {
                    at.error(
                        ErrorKind::Reference,
                        crate::refs::unresolved(reference, SCHEMA_PREFIX),
                    )
                })?;
                current = components
                        .get(&key)
                        .ok_or_else(|| at.error(ErrorKind::Reference, format!("$ref `{reference}` points at no schema: there is no `components/schemas/{key}`")))?;
                place = Pointer::root().key("components").key("schemas").key(&key);
            }
        }
    }
}

static EMPTY_PROPERTIES: std::sync::LazyLock<indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>> =
    std::sync::LazyLock::new(indexmap::IndexMap::new);
static EMPTY_REQUIRED: Vec<String> = Vec::new();

/// Named types a type holds without indirection (a `Vec` or map is already
/// on the heap, so it breaks a cycle by itself).
fn direct_children(kind: &TypeKind) -> Vec<TypeId> {
    let named = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    };
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::Union { variants, .. } => variants.iter().filter_map(|v| named(&v.ty)).collect(),
        TypeKind::Alias(ty) => named(ty).into_iter().collect(),
        TypeKind::StringEnum { .. } | TypeKind::IntegerEnum { .. } => Vec::new(),
        TypeKind::Multipart { parts } => parts.iter().filter_map(|p| named(&p.field.ty)).collect(),
    }
}

/// Later parts of an `allOf` refine earlier ones: a property named twice keeps
/// its first place and takes the later definition.
fn merge_fields(fields: &mut Vec<Field>, more: Vec<Field>) {
    for field in more {
        match fields
            .iter_mut()
            .find(|f| f.wire == field.wire && !f.flatten)
        {
            Some(existing) => {
                let required = existing.required || field.required;
                let rust = existing.rust.clone();
                // A default documents an optional field only.
                let default = field.default.filter(|_| !required);
                *existing = Field {
                    required,
                    rust,
                    default,
                    ..field
                };
            }
            None => fields.push(field),
        }
    }
}

/// What of a property is a secret (`x-secret-query`, `x-secret`): only a
/// string can be one, and only `true` turns it on.
fn secret(data: &openapiv3::SchemaData, ty: &TypeRef, at: &Pointer) -> Result<Secret> {
    let mut secret = Secret::None;
    for (key, kind) in [
        ("x-secret-query", Secret::Query),
        ("x-secret", Secret::Value),
    ] {
        let Some(value) = data.extensions.get(key) else {
            continue;
        };
        let here = at.key(key);
        match value.as_bool() {
            Some(true) if secret != Secret::None => {
                return Err(here.error(
                    ErrorKind::Extension,
                    "x-secret-query and x-secret exclude each other",
                ))
            }
            Some(true) if *ty != TypeRef::String => {
                return Err(here.error(
                    ErrorKind::Extension,
                    format!("{key} applies to a string property only"),
                ))
            }
            Some(true) => secret = kind,
            Some(false) => {}
            None => {
                return Err(here.error(ErrorKind::Extension, format!("{key} must be true or false")))
            }
        }
    }
    Ok(secret)
}

/// A schema's `default` as JSON text, when it is a scalar (string, number,
/// boolean): objects and arrays are not shown.
fn scalar_default(data: &openapiv3::SchemaData) -> Option<String> {
    match data.default.as_ref()? {
        value @ (serde_json::Value::String(_)
        | serde_json::Value::Number(_)
        | serde_json::Value::Bool(_)) => Some(value.to_string()),
        _ => None,
    }
}

fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Bytes,
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "uuid" => TypeRef::Uuid,
            "date-time" => TypeRef::DateTime,
            "date" => TypeRef::Date,
            "binary" => TypeRef::Bytes,
            _ => TypeRef::String,
        },
        _ => TypeRef::String,
    }
}

/// Variants for string-enum values, with names unique after case conversion
/// (`a-b` and `A_B` both want `AB`: the second becomes `AB2`).
pub fn variants<'v>(values: impl Iterator<Item = &'v str>) -> Vec<Variant> {
    let mut namespace = Namespace::with_reserved(&["Other"]);
    let mut seen = BTreeSet::new();
    values
        .filter(|v| seen.insert(v.to_string()))
        .map(|wire| {
            let wanted = if wire.is_empty() {
                "Empty".to_string()
            } else {
                names::camel(wire)
            };
            Variant {
                wire: wire.to_string(),
                rust: namespace.claim(&wanted),
            }
        })
        .collect()
}

/// The vendor extensions that name an integer enum's values, one name per
/// value in `enum` order (OpenAPI Generator's and NSwag's spellings).
const ENUM_NAME_EXTENSIONS: &[&str] = &["x-enum-varnames", "x-enumNames"];

/// Integer-enum variants: named by `x-enum-varnames`/`x-enumNames` when the
/// schema has one with a string per value, else after the value (`V4`,
/// `Minus1`). Repeated values are kept once.
pub fn integer_variants(
    values: &[i64],
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
) -> Vec<IntegerVariant> {
    let given: Option<Vec<&str>> = ENUM_NAME_EXTENSIONS.iter().find_map(|key| {
        let names = extensions.get(*key)?.as_array()?;
        let names: Option<Vec<&str>> = names.iter().map(|n| n.as_str()).collect();
        names.filter(|n| n.len() == values.len())
    });
    let mut namespace = Namespace::with_reserved(&["Other"]);
    let mut seen = BTreeSet::new();
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| seen.insert(**v))
        .map(|(i, &value)| {
            let from_value = if value < 0 {
                format!("Minus{}", value.unsigned_abs())
            } else {
                format!("V{value}")
            };
            let wanted = given
                .as_ref()
                .map(|names| names::camel(names[i]))
                .filter(|n| !n.is_empty())
                .unwrap_or(from_value);
            IntegerVariant {
                value,
                rust: namespace.claim(&wanted),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret_of(property: serde_json::Value) -> std::result::Result<Secret, String> {
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"Link": {
                "type": "object",
                "properties": {"href": property},
            }}},
        });
        let api =
            crate::model_value(document, &crate::Options::new("t")).map_err(|e| e.to_string())?;
        match &api.type_named("Link").map(|t| &t.kind) {
            Some(TypeKind::Struct { fields, .. }) => Ok(fields[0].secret),
            other => Err(format!("not a struct: {other:?}")),
        }
    }

    #[test]
    fn secret_fields_come_from_their_extension() {
        let string = |extension: serde_json::Value| {
            let mut property = serde_json::json!({"type": "string", "format": "uri"});
            if let (Some(p), Some(e)) = (property.as_object_mut(), extension.as_object()) {
                p.extend(e.clone());
            }
            secret_of(property)
        };
        assert_eq!(string(serde_json::json!({})), Ok(Secret::None));
        assert_eq!(
            string(serde_json::json!({"x-secret-query": true})),
            Ok(Secret::Query)
        );
        assert_eq!(
            string(serde_json::json!({"x-secret": true})),
            Ok(Secret::Value)
        );
        assert_eq!(
            string(serde_json::json!({"x-secret": false})),
            Ok(Secret::None)
        );
        let both = string(serde_json::json!({"x-secret": true, "x-secret-query": true}));
        assert!(
            both.as_ref()
                .is_err_and(|e| e.contains("exclude each other")),
            "{both:?}"
        );
        let not_bool = string(serde_json::json!({"x-secret-query": "yes"}));
        assert!(
            not_bool
                .as_ref()
                .is_err_and(|e| e.contains("/href/x-secret-query") && e.contains("true or false")),
            "{not_bool:?}"
        );
        let integer = secret_of(serde_json::json!({"type": "integer", "x-secret": true}));
        assert!(
            integer
                .as_ref()
                .is_err_and(|e| e.contains("string property only")),
            "{integer:?}"
        );
    }

    /// Each field's `new()` parameter is named in the model: its own name,
    /// but `value_1` for `_1`, which yields to a field that has that name.
    #[test]
    fn constructor_bindings_are_the_field_names_but_for_digits() {
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "Votes": {
                    "type": "object",
                    "required": ["+1", "-1", "value_1", "kind"],
                    "properties": {
                        "+1": {"type": "integer"},
                        "-1": {"type": "integer"},
                        "value_1": {"type": "integer"},
                        "kind": {"type": "string"},
                    },
                },
            }},
        });
        let api = crate::model_value(document, &crate::Options::new("t")).expect("builds");
        let Some(TypeKind::Struct { fields, .. }) = api.type_named("Votes").map(|t| &t.kind) else {
            panic!("Votes is a struct");
        };
        let bindings: Vec<(&str, &str)> = fields
            .iter()
            .map(|f| (f.rust.as_str(), f.binding.as_str()))
            .collect();
        assert_eq!(
            bindings,
            [
                ("_1", "value_1_2"),
                ("_1_2", "value_1_2_2"),
                ("value_1", "value_1"),
                ("kind", "kind"),
            ]
        );
    }

    fn names(values: &[i64], extensions: serde_json::Value) -> Vec<(i64, String)> {
        let extensions = serde_json::from_value(extensions).expect("an extension map");
        integer_variants(values, &extensions)
            .into_iter()
            .map(|v| (v.value, v.rust))
            .collect()
    }

    #[test]
    fn integer_variants_are_named_after_values_or_the_extension() {
        let by_value = names(&[4, -1, 4, 0], serde_json::json!({}));
        assert_eq!(
            by_value,
            [(4, "V4".into()), (-1, "Minus1".into()), (0, "V0".into())]
        );
        let named = names(
            &[1, 2],
            serde_json::json!({"x-enumNames": ["other", "big one"]}),
        );
        // `Other` is the catch-all variant's: the value's name yields.
        assert_eq!(named, [(1, "Other2".into()), (2, "BigOne".into())]);
        // One name too few: the extension is not trusted.
        let short = names(&[1, 2], serde_json::json!({"x-enum-varnames": ["One"]}));
        assert_eq!(short, [(1, "V1".into()), (2, "V2".into())]);
    }

    /// A schema named like an item of the crate root (`Error`, `Client`)
    /// becomes `Model<Name>`, with a note, so `use krate::*` and
    /// `use krate::types::*` together stay unambiguous.
    #[test]
    fn types_named_like_the_crate_roots_items_are_renamed() {
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "getX", "responses": {
                "204": {"description": "done"},
                "400": {"description": "bad", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"},
                }}},
            }}}},
            "components": {"schemas": {
                "Error": {"type": "object", "properties": {"code": {"type": "string"}}},
                "Errors": {"type": "object"},
            }},
        });
        let api = crate::model_value(document, &crate::Options::new("t")).expect("builds");
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert!(names.contains(&"ModelError"), "{names:?}");
        assert!(names.contains(&"Errors"), "{names:?}");
        assert!(!names.contains(&"Error"), "{names:?}");
        // `ErrorBody`'s variant keeps the document's word: `ErrorBody::Error(types::ModelError)`.
        let variants: Vec<(&str, String)> = api
            .error_bodies
            .iter()
            .map(|v| {
                (
                    v.rust.as_str(),
                    crate::model::TypeSpace::short_name(&api.types[..], &v.ty),
                )
            })
            .collect();
        assert_eq!(variants, [("Error", "ModelError".to_string())]);
        assert!(
            api.notes
                .iter()
                .any(|n| n.contains("#/components/schemas/Error")
                    && n.contains("`ModelError`")
                    && n.contains("crate::Error")),
            "{:?}",
            api.notes
        );
    }
}
