//! The item-by-item method of an operation with a sequential body
//! (OpenAPI 3.2 `itemSchema`): `send_items()`.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{ty, Context};
use crate::model::{Framing, Operation, TypeDef};

/// `send_items()` on the operation's builder, or nothing.
pub fn builder_method(types: &[TypeDef], op: &Operation) -> TokenStream {
    let Some(items) = &op.items else {
        return quote!();
    };
    let item = ty(types, &items.item, Context::Elsewhere);
    let framing = match items.framing {
        Framing::Lines => quote!(Lines),
        Framing::JsonSeq => quote!(JsonSeq),
        Framing::EventStream => quote!(EventStream),
    };
    let doc = format!(
        " Sends the request and returns the `{}` body as a stream of items, each decoded as soon as it has arrived (the whole body is never held in memory). An error status is returned before the stream; an item that does not decode ends the stream with [`Error::Decode`](crate::Error::Decode).",
        items.media_type
    );
    quote! {
        #[doc = #doc]
        pub async fn send_items(
            self,
        ) -> Result<impl crate::Stream<Item = Result<#item, crate::Error>> + Send + Unpin + 'static, crate::Error> {
            let client = self.client;
            let request = crate::client::operation::Operation::into_request(self)?;
            let response = client.execute_raw(request).await?;
            if !response.is_success() {
                let response = response.read(client.max_response_bytes()).await?;
                return Err(crate::client::operation::error::<Self>(response));
            }
            Ok(crate::sequence::items(response, crate::sequence::Framing::#framing))
        }
    }
}
