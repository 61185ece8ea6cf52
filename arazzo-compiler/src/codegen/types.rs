//! The structs and enums of a workflow module: inputs, outputs and the types the schemas they
//! come from define. Every field and variant keeps its JSON name through a serde rename, and
//! the document's descriptions become doc comments.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, ty_tokens};
use crate::ir;
use crate::library::ModuleTypes;
use crate::one_of::UnionDef;
use crate::types::{EnumDef, Field, OTHER_VARIANT, StructDef, Ty};

/// A generated struct; secret fields show `***` in `Debug`.
pub(super) fn struct_def(def: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    // Every public item has a doc comment (a user's `#![deny(missing_docs)]` holds): the
    // schema's description, else what the item is.
    let struct_doc = match def.doc.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(text) => doc(text),
        None => doc(&format!("`{}`, from its schema.", def.name)),
    };
    let fields = def.fields.iter().map(|f| {
        let ident = ident(&f.ident);
        let ty = ty_tokens(&f.ty);
        let json = &f.json_name;
        let field_doc = match f.doc.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(text) => doc(text),
            None => doc(&format!("`{json}`")),
        };
        let rename = (f.ident != *json).then(|| quote! { #[serde(rename = #json)] });
        let optional = matches!(f.ty, Ty::Option(_))
            .then(|| quote! { #[serde(default, skip_serializing_if = "Option::is_none")] });
        quote! {
            #field_doc
            #rename
            #optional
            pub #ident: #ty
        }
    });
    let secret = def.fields.iter().any(|f| f.secret);
    let debug = (!secret).then(|| quote! { Debug, });
    let debug_impl = secret.then(|| {
        // Secret fields show `***` in `Debug`, so they cannot leak through logs or panics.
        let shown = def.fields.iter().map(|f| {
            let field = ident(&f.ident);
            let label = &f.ident;
            if f.secret {
                quote! { .field(#label, &::std::format_args!("***")) }
            } else {
                quote! { .field(#label, &self.#field) }
            }
        });
        let label = &def.name;
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#label) #( #shown )* .finish()
                }
            }
        }
    });
    quote! {
        #struct_doc
        #[derive(#debug Clone, PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
        #[serde(crate = "rt::serde")]
        pub struct #name {
            #( #fields, )*
        }
        #debug_impl
    }
}

/// A generated enum of string values, usable as a parameter and in criteria. An open enum (a
/// response's) has `Other(String)` for the values its schema does not list.
pub(super) fn enum_def(def: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let enum_doc = match def.doc.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(text) => doc(text),
        None => doc(&format!("`{}`, the values its schema allows.", def.name)),
    };
    let variants = def.variants.iter().map(|(v, json)| {
        let v = ident(v);
        let text = format!(" `{json}`");
        let rename = (!def.open).then(|| quote! { #[serde(rename = #json)] });
        quote! {
            #[doc = #text]
            #rename
            #v
        }
    });
    let arms = def.variants.iter().map(|(v, json)| {
        let v = ident(v);
        quote! { Self::#v => #json }
    });
    if def.open {
        return open_enum(def, &name, &enum_doc, variants, arms);
    }
    quote! {
        #enum_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, rt::serde::Serialize, rt::serde::Deserialize)]
        #[serde(crate = "rt::serde")]
        pub enum #name {
            #( #variants, )*
        }

        impl #name {
            /// The value as written in the schema.
            pub fn as_str(&self) -> &'static str {
                match self { #( #arms, )* }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl rt::ParamValue for #name {
            fn param_text(&self) -> Option<::std::borrow::Cow<'_, str>> {
                Some(self.as_str().into())
            }
        }

        impl rt::criteria::AsOperand for #name {
            fn as_operand(&self) -> rt::criteria::Operand<'_> {
                rt::criteria::Operand::Str(self.as_str().into())
            }
        }
    }
}

/// A response enum: its variants, `Other(String)`, `as_str` and `OpenEnum`; the runtime's
/// `open_enum!` adds serde, `Display`, parameter and operand impls from them.
fn open_enum(
    def: &EnumDef,
    name: &proc_macro2::Ident,
    enum_doc: &TokenStream,
    variants: impl Iterator<Item = TokenStream>,
    arms: impl Iterator<Item = TokenStream>,
) -> TokenStream {
    let other = ident(OTHER_VARIANT);
    let parse = def.variants.iter().map(|(v, json)| {
        let v = ident(v);
        quote! { #json => Self::#v }
    });
    quote! {
        #enum_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #variants, )*
            /// A value the schema does not list, as the server sent it.
            #other(String),
        }

        impl #name {
            /// The value as written in the schema, or as the server sent it.
            pub fn as_str(&self) -> &str {
                match self { #( #arms, )* Self::#other(text) => text }
            }
        }

        impl rt::OpenEnum for #name {
            fn from_text(text: &str) -> Self {
                match text { #( #parse, )* other => Self::#other(other.to_owned()) }
            }
        }

        rt::open_enum!(#name);
    }
}

/// The enum of a `oneOf`/`anyOf`: the value is the first alternative it fits.
pub(super) fn union_def(def: &UnionDef) -> TokenStream {
    let name = ident(&def.name);
    let union_doc = match def.doc.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(text) => doc(text),
        None => doc(&format!(
            "`{}`, one of the alternatives its schema lists.",
            def.name
        )),
    };
    let variants = def.variants.iter().map(|(v, ty)| {
        let text = format!(" `{}`", ty.rust());
        let (v, ty) = (ident(v), ty_tokens(ty));
        quote! {
            #[doc = #text]
            #v(#ty)
        }
    });
    quote! {
        #union_doc
        #[derive(Debug, Clone, PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
        #[serde(crate = "rt::serde", untagged)]
        pub enum #name {
            #( #variants, )*
        }
    }
}

/// The module of one source description's named schemas: one type each, shared by every
/// workflow (which names them `super::<module>::<Type>`).
pub(super) fn shared_module(module: &ModuleTypes) -> TokenStream {
    let name = ident(&module.name);
    let module_doc = doc(&format!(
        "Types of source description `{}`: one per named schema a workflow reads, shared by every workflow.",
        module.source
    ));
    let structs = module.space.structs.iter().map(struct_def);
    let enums = module.space.enums.iter().map(enum_def);
    let unions = module.space.unions.iter().map(union_def);
    quote! {
        #module_doc
        #[allow(clippy::all, non_camel_case_types)]
        pub mod #name {
            use ::arazzo::__private as rt;

            #( #structs )*
            #( #enums )*
            #( #unions )*
        }
    }
}

/// The struct of a workflow's or a step's outputs.
pub(super) fn outputs_struct(name: &str, text: &str, outputs: &[ir::Output]) -> TokenStream {
    struct_def(&StructDef {
        name: name.to_owned(),
        doc: Some(text.to_owned()),
        fields: outputs
            .iter()
            .map(|o| Field {
                ident: o.ident.clone(),
                json_name: o.name.clone(),
                ty: o.expr.ty(),
                doc: Some(format!("`{}`: `{}`", o.name, o.source)),
                default: None,
                secret: o.secret,
                required: true,
            })
            .collect(),
    })
}
