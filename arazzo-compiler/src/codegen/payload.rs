//! Request bodies that are not JSON, form or text: the static description of an XML
//! payload's elements or a multipart payload's declared fields (next to the step's
//! `StepSpec`), and the statements that fill in the body from the payload.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::body::Plan;
use super::value::{borrowed, json_value};
use crate::ir::{self, Value};
use crate::types::Ty;

/// The name of the `static` that describes the step's payload to the runtime.
fn static_name(step: &ir::Step) -> Ident {
    format_ident!("BODY_{}", step.ident.to_ascii_uppercase())
}

/// The step's payload description, when its body needs one.
pub(super) fn body_static(step: &ir::Step) -> Option<TokenStream> {
    let name = static_name(step);
    match &step.body.as_ref()?.kind {
        ir::BodyKind::Xml(root) => {
            let root = xml_node(root);
            Some(quote! { static #name: rt::XmlNode = #root; })
        }
        ir::BodyKind::Multipart(fields) => {
            let fields = fields.iter().map(|f| {
                let (field, file) = (&f.name, f.file);
                let content_type = option(f.content_type.as_deref());
                quote! { rt::PartSpec { name: #field, file: #file, content_type: #content_type } }
            });
            Some(quote! { static #name: &[rt::PartSpec] = &[ #( #fields ),* ]; })
        }
        _ => None,
    }
}

fn option(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) => quote! { Some(#t) },
        None => quote! { None },
    }
}

/// An `rt::XmlNode` literal (nested nodes are promoted to `'static` in the static).
fn xml_node(node: &ir::XmlNode) -> TokenStream {
    let name = &node.name;
    let prefix = option(node.prefix.as_deref());
    let namespace = option(node.namespace.as_deref());
    let attribute = node.attribute;
    let shape = match &node.shape {
        ir::XmlShape::Text => quote! { rt::XmlShape::Text },
        ir::XmlShape::Any => quote! { rt::XmlShape::Any },
        ir::XmlShape::Object(props) => {
            let props = props.iter().map(|(key, node)| {
                let node = xml_node(node);
                quote! { rt::XmlProperty { key: #key, node: #node } }
            });
            quote! { rt::XmlShape::Object(&[ #( #props ),* ]) }
        }
        ir::XmlShape::Array { wrapped, items } => {
            let items = xml_node(items);
            quote! { rt::XmlShape::Array { wrapped: #wrapped, items: &#items } }
        }
    };
    quote! {
        rt::XmlNode {
            name: #name,
            prefix: #prefix,
            namespace: #namespace,
            attribute: #attribute,
            shape: #shape,
        }
    }
}

/// An `Option<&impl AsRef<[u8]>>` for an expression typed `Vec<u8>` or `Option<Vec<u8>>`.
fn bytes_arg(e: &ir::Expr, plan: &Plan) -> TokenStream {
    let b = borrowed(e, plan);
    match e.ty() {
        Ty::Option(_) => quote! { (#b).as_ref() },
        _ => quote! { Some(#b) },
    }
}

/// Whether a payload value is one expression of bytes.
fn bytes_expr(v: &Value) -> Option<&ir::Expr> {
    match v {
        Value::Expr(e) => {
            let ty = e.ty();
            let bytes = ty == Ty::Bytes || matches!(&ty, Ty::Option(inner) if **inner == Ty::Bytes);
            bytes.then_some(e)
        }
        _ => None,
    }
}

/// The statements that set an XML, multipart or bytes body (`None` for other kinds).
pub(super) fn statements(step: &ir::Step, body: &ir::Body, plan: &Plan) -> Option<TokenStream> {
    let content_type = &body.content_type;
    let name = static_name(step);
    match &body.kind {
        ir::BodyKind::Xml(_) if body.replacements.is_empty() => {
            let v = json_value(&body.payload, plan);
            Some(quote! { req.xml_body(#content_type, &#name, &#v)?; })
        }
        ir::BodyKind::Xml(_) => {
            // Replacements are made in the value the document is written from.
            let v = json_value(&body.payload, plan);
            let replace = replacements(&body.replacements, plan);
            Some(quote! {
                let mut payload = #v;
                #replace
                req.xml_body(#content_type, &#name, &payload)?;
            })
        }
        ir::BodyKind::Bytes => {
            let bytes = bytes_expr(&body.payload).map_or_else(
                || quote! { ::std::option::Option::<&[u8]>::None },
                |e| bytes_arg(e, plan),
            );
            Some(quote! { req.bytes_body(#content_type, #bytes); })
        }
        ir::BodyKind::Multipart(_) => {
            let fill = match &body.payload {
                Value::Object(entries) => {
                    let parts = entries.iter().map(|(key, v)| match bytes_expr(v) {
                        Some(e) => {
                            let bytes = bytes_arg(e, plan);
                            quote! { parts.bytes(#key, #bytes); }
                        }
                        None => {
                            let v = json_value(v, plan);
                            quote! { parts.value(#key, &#v)?; }
                        }
                    });
                    quote! { #( #parts )* }
                }
                other => {
                    let v = json_value(other, plan);
                    quote! { parts.object(&#v)?; }
                }
            };
            Some(quote! {
                let mut parts = rt::Multipart::new(#name);
                #fill
                req.multipart_body(parts);
            })
        }
        _ => None,
    }
}

/// The statements that make a payload's `replacements` in `payload`, the JSON value a JSON
/// body is sent as or an XML body is written from.
pub(super) fn replacements(replacements: &[ir::Replacement], plan: &Plan) -> TokenStream {
    let replace = replacements
        .iter()
        .map(|ir::Replacement { target, value }| {
            let value = json_value(value, plan);
            match target {
                ir::ReplacementTarget::Pointer(tokens) => quote! {
                    rt::replace_at(&mut payload, &[ #( #tokens ),* ], #value)?;
                },
                ir::ReplacementTarget::JsonPath(query) => quote! {{
                    static QUERY: rt::JsonPathCache = rt::JsonPathCache::new();
                    rt::replace_selected(&mut payload, &QUERY, #query, #value)?;
                }},
            }
        });
    quote! { #( #replace )* }
}
