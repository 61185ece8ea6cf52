//! AsyncAPI message steps (Arazzo 1.1): the client's broker table, the subscriptions a run
//! arms ahead of its receive steps, and the bodies of send and receive steps.
//!
//! - The client has one broker per server of each AsyncAPI source a message step uses
//!   ([`brokers`]); a step uses the first server its channel lists, else its document's
//!   first. Each connects on first use.
//! - A send step builds its payload (JSON) and headers and hands the message to the broker;
//!   it completes when the broker has it.
//! - A receive step's subscription is armed early ([`arm`]): before the loop runs a step, every
//!   receive step not armed yet whose channel address can be computed is subscribed, in
//!   document order. An address without parameters, or whose parameters read only inputs, is
//!   armed before the first step; one whose parameters read step outputs is armed before the
//!   first step that runs after all those steps completed. A reply at a run-time address
//!   (AsyncAPI `reply.address.location`) subscribes to the value its request step writes
//!   there, armed by the same rule for that value. The subscriptions live in the run's
//!   state and are dropped (unsubscribed) when the run ends or its future is dropped.
//! - A receive step then waits for the first message whose `correlationId` location holds
//!   the expected value, at most its `timeout`; no such message fails the step into its
//!   failure actions. Its criteria and outputs read the message (`msg`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::body::Plan;
use super::ident;
use super::step::{conclude, spec_name};
use super::value::{json_value, template};
use crate::asyncapi::CredentialShape;
use crate::ir::{self, Expr, MessageAction, Value};
use crate::names;

/// One broker of the client: an AsyncAPI server of a source.
pub(super) struct BrokerEntry {
    /// Index into [`ir::Program::sources`].
    source: usize,
    /// The source's name.
    source_name: String,
    /// The server's key.
    server: String,
    /// `protocol://host[pathname]`.
    url: String,
    /// The builder method that sets its URL.
    pub(super) method: String,
    /// The server's security schemes.
    security: Vec<ir::ServerScheme>,
}

/// The brokers of the document: every server of every AsyncAPI source that a message step
/// uses, by source then server order.
pub(super) fn brokers(program: &ir::Program) -> Vec<BrokerEntry> {
    let mut entries: Vec<BrokerEntry> = Vec::new();
    let mut steps: Vec<(usize, &ir::MessageStep)> = program
        .workflows
        .iter()
        .flat_map(|w| &w.steps)
        .filter_map(|s| s.message.as_ref().map(|m| (s.source, m)))
        .collect();
    steps.sort_by_key(|(source, _)| *source);
    for (source, message) in steps {
        if entries.iter().any(|e| e.source == source) {
            continue;
        }
        let source_name = program
            .sources
            .get(source)
            .map_or_else(String::new, |s| s.name.clone());
        for server in &message.servers {
            entries.push(BrokerEntry {
                source,
                method: format!(
                    "broker_{}_{}",
                    names::snake(&source_name),
                    names::snake(&server.name)
                ),
                source_name: source_name.clone(),
                server: server.name.clone(),
                url: format!(
                    "{}://{}{}",
                    server.protocol,
                    server.host,
                    server.pathname.as_deref().unwrap_or_default()
                ),
                security: server.security.clone(),
            });
        }
    }
    entries
}

/// The broker a step of source `source` uses: the server of its channel (see
/// [`ir::MessageStep::server`]).
pub(super) fn broker_index(
    brokers: &[BrokerEntry],
    source: usize,
    message: &ir::MessageStep,
) -> usize {
    let server = message.servers.get(message.server).map(|s| s.name.as_str());
    brokers
        .iter()
        .position(|b| b.source == source && Some(b.server.as_str()) == server)
        .or_else(|| brokers.iter().position(|b| b.source == source))
        .unwrap_or(0)
}

/// `static BROKERS` and the builder methods that set each broker's URL and credentials.
pub(super) fn client_parts(brokers: &[BrokerEntry]) -> (TokenStream, Vec<TokenStream>) {
    let specs = brokers.iter().map(|b| {
        let (source, server, url, method) = (&b.source_name, &b.server, &b.url, &b.method);
        quote! {
            rt::message::BrokerSpec { source: #source, server: #server, default_url: #url, method: #method }
        }
    });
    let table = quote! { static BROKERS: &[rt::message::BrokerSpec] = &[ #( #specs ),* ]; };
    let methods = brokers
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let index = Literal::usize_unsuffixed(i);
            let method = ident(&b.method);
            let credentials = ident(&format!("{}_credentials", b.method));
            let url_doc = format!(
                " Sets the URL of server `{}` of AsyncAPI source `{}` (default: `{}`); its scheme picks the transport (`mqtt`, `nats`, `amqp`, `ws`, `kafka`, each a cargo feature of `arazzo`).",
                b.server, b.source_name, b.url
            );
            let uncarried: Vec<String> = b
                .security
                .iter()
                .filter(|s| s.credential.is_none())
                .map(|s| format!("`{}` ({})", s.name, s.kind))
                .collect();
            let uncarried_doc = (!uncarried.is_empty()).then(|| {
                let doc = match uncarried.as_slice() {
                    [one] => format!(
                        " Its security scheme {one} is carried by no transport of `arazzo::message`: it has no builder method."
                    ),
                    many => format!(
                        " Its security schemes {} are carried by no transport of `arazzo::message`: they have no builder method.",
                        many.join(", ")
                    ),
                };
                quote! {
                    #[doc = ""]
                    #[doc = #doc]
                }
            });
            let credentials_doc = format!(
                " Sets the credentials of server `{}` of AsyncAPI source `{}`.",
                b.server, b.source_name
            );
            let schemes = b
                .security
                .iter()
                .filter_map(|s| scheme_method(b, &index, s));
            quote! {
                #[doc = #url_doc]
                #uncarried_doc
                pub fn #method(mut self, url: impl Into<String>) -> Self {
                    self.core.broker_url(#index, url.into());
                    self
                }

                #[doc = #credentials_doc]
                pub fn #credentials(mut self, credentials: ::arazzo::message::Credentials) -> Self {
                    self.core.broker_credentials(#index, credentials);
                    self
                }

                #( #schemes )*
            }
        })
        .collect();
    (table, methods)
}

/// The builder method for security scheme `scheme` of broker `b` (at `index`), named after
/// the scheme and taking what it asks for; `None` for a scheme no transport carries.
fn scheme_method(
    b: &BrokerEntry,
    index: &Literal,
    scheme: &ir::ServerScheme,
) -> Option<TokenStream> {
    let shape = scheme.credential?;
    let mut name = names::snake(&scheme.name);
    if name == "credentials" {
        // The generic `<broker>_credentials` method has that name.
        name.push_str("_scheme");
    }
    let method = ident(&format!("{}_{name}", b.method));
    let summary = format!(
        " Sets the credentials of server `{}` of AsyncAPI source `{}` for its security scheme `{}` ({}).",
        b.server, b.source_name, scheme.name, scheme.kind
    );
    let description = scheme.description.as_ref().map(|d| {
        let lines = d.lines().map(|l| format!(" {l}"));
        quote! {
            #[doc = ""]
            #( #[doc = #lines] )*
        }
    });
    let (params, credentials) = match shape {
        CredentialShape::UserPassword => (
            quote! { user: impl Into<String>, password: impl Into<::arazzo::Secret> },
            quote! { ::arazzo::message::Credentials::user_password(user, password) },
        ),
        CredentialShape::Token => (
            quote! { token: impl Into<::arazzo::Secret> },
            quote! { ::arazzo::message::Credentials::token(token) },
        ),
    };
    Some(quote! {
        #[doc = #summary]
        #description
        pub fn #method(mut self, #params) -> Self {
            self.core.broker_credentials(#index, #credentials);
            self
        }
    })
}

/// The field of the run's `Armed` state that holds a receive step's subscription.
fn armed_field(step: &ir::Step) -> proc_macro2::Ident {
    ident(&format!("{}_", step.ident))
}

/// The receive steps of a workflow.
fn receives(wf: &ir::Workflow) -> impl Iterator<Item = (&ir::Step, &ir::MessageStep)> {
    wf.steps.iter().filter_map(|s| {
        s.message
            .as_ref()
            .filter(|m| m.action == MessageAction::Receive)
            .map(|m| (s, m))
    })
}

/// The `Armed` struct: one subscription per receive step (none: an empty struct).
pub(super) fn armed_struct(wf: &ir::Workflow) -> TokenStream {
    let fields = receives(wf).map(|(s, _)| {
        let f = armed_field(s);
        quote! { #f: Option<rt::message::Subscription> }
    });
    quote! {
        /// The subscriptions of the run's receive steps, armed ahead of them; dropping one
        /// unsubscribes.
        #[derive(Default)]
        struct Armed {
            #( #fields, )*
        }
    }
}

/// The channel address of a message step, its `{parameter}`s replaced by their values; for
/// a reply at a run-time address, the value its request carries there.
fn address(message: &ir::MessageStep) -> TokenStream {
    let plan = Plan::none();
    if let Some(reply_to) = &message.reply_to {
        return text(reply_to, &plan);
    }
    let address = message.address.clone().unwrap_or_default();
    let params = message.channel_params.iter().map(|p| {
        let placeholder = format!("{{{}}}", p.name);
        let v = text(&p.value, &plan);
        quote! { address = address.replace(#placeholder, &#v); }
    });
    quote! {{
        let mut address = String::from(#address);
        #( #params )*
        address
    }}
}

/// A value as the text it has in a header, a channel address or a correlation id (a
/// `String`): a template is text already; anything else is converted by
/// `rt::message::message_text` (a string as it is, another value as JSON).
fn text(value: &Value, plan: &Plan) -> TokenStream {
    match value {
        Value::Template(parts) => template(parts, plan),
        other => {
            let v = json_value(other, plan);
            quote! { rt::message::message_text(&#v)? }
        }
    }
}

/// The steps whose outputs a value reads.
fn steps_read(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Lit(_) => {}
        Value::Expr(e) => expr_steps(e, out),
        Value::Template(parts) => {
            for part in parts {
                if let ir::TemplatePart::Expr(e) = part {
                    expr_steps(e, out);
                }
            }
        }
        Value::Object(members) => members.iter().for_each(|(_, v)| steps_read(v, out)),
        Value::Array(items) => items.iter().for_each(|v| steps_read(v, out)),
    }
}

fn expr_steps(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::StepOutput { step, .. } if !out.contains(step) => out.push(step.clone()),
        Expr::At(inner, _) | Expr::Member { of: inner, .. } => expr_steps(inner, out),
        Expr::JsonPath { of, .. } | Expr::XPath { of, .. } => expr_steps(of, out),
        _ => {}
    }
}

/// Subscribes receive step `step` into `cx.armed` (an error names the step).
fn subscribe(step: &ir::Step, message: &ir::MessageStep, broker: usize) -> TokenStream {
    let spec = spec_name(step);
    let field = armed_field(step);
    let address = address(message);
    let broker = Literal::usize_unsuffixed(broker);
    quote! {
        let address: String = #address;
        let subscribed = match cx.client.core.broker(#broker).await {
            Ok(broker) => broker.subscribe(&address).await.map_err(rt::ErrorKind::from),
            Err(error) => Err(error),
        };
        match subscribed {
            Ok(subscription) => cx.armed.#field = Some(subscription),
            Err(error) => return Err(cx.run.step_error(&#spec, error)),
        }
    }
}

/// `async fn arm(cx)`: subscribes every receive step that is not armed yet and whose address
/// can be computed now (see the module's documentation); `None` for a workflow without one.
pub(super) fn arm_fn(wf: &ir::Workflow, brokers: &[BrokerEntry]) -> Option<TokenStream> {
    let arms: Vec<TokenStream> = receives(wf)
        .map(|(s, m)| {
            let field = armed_field(s);
            let mut needed = Vec::new();
            for p in &m.channel_params {
                steps_read(&p.value, &mut needed);
            }
            if let Some(reply_to) = &m.reply_to {
                steps_read(reply_to, &mut needed);
            }
            let ready = needed.iter().map(|n| {
                let n = ident(n);
                quote! { && cx.progress.#n.is_some() }
            });
            let subscribe = subscribe(s, m, broker_index(brokers, s.source, m));
            quote! {
                if cx.armed.#field.is_none() #( #ready )* {
                    #subscribe
                }
            }
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    Some(quote! {
        /// Arms the subscriptions of the receive steps whose channel address is known now,
        /// in document order.
        async fn arm(cx: &mut Cx<'_>) -> Result<(), rt::Error> {
            #( #arms )*
            Ok(())
        }
    })
}

/// The body of a message step's function.
pub(super) fn body(
    step: &ir::Step,
    message: &ir::MessageStep,
    brokers: &[BrokerEntry],
    index: usize,
    next: Option<usize>,
) -> TokenStream {
    let broker = broker_index(brokers, step.source, message);
    match message.action {
        MessageAction::Send => send_body(step, message, broker, index, next),
        MessageAction::Receive => receive_body(step, message, broker, index, next),
    }
}

/// A send step: payload, headers, then the broker has it.
fn send_body(
    step: &ir::Step,
    message: &ir::MessageStep,
    broker: usize,
    index: usize,
    next: Option<usize>,
) -> TokenStream {
    let spec = spec_name(step);
    let plan = Plan::none();
    let payload = match &message.payload {
        Some(v) => {
            let v = json_value(v, &plan);
            quote! { rt::serde_json::to_vec(&#v).map_err(rt::ErrorKind::Encode)? }
        }
        None => quote! { Vec::new() },
    };
    let content_type = message.content_type.as_ref().map(|ct| {
        quote! { let message = message.with_content_type(#ct); }
    });
    let headers = message.headers.iter().map(|h| {
        let name = &h.name;
        let v = text(&h.value, &plan);
        quote! { let message = message.with_header(#name, #v); }
    });
    let address = address(message);
    let broker = Literal::usize_unsuffixed(broker);
    let millis = Literal::u64_unsuffixed(message.timeout_millis);
    let outcome = quote! {{
        let client = cx.client;
        let send = async {
            let broker = client.core.broker(#broker).await?;
            broker.send(&address, &message).await.map_err(rt::ErrorKind::from)
        };
        cx.run.send_message(step, ::std::time::Duration::from_millis(#millis), send).await
    }};
    let conclude = conclude(
        step,
        index,
        next,
        outcome,
        quote! { msg },
        TokenStream::new(),
    );
    quote! {
        let step = &#spec;
        cx.run.enter_step(step)?;
        let address: String = #address;
        let message = rt::message::Message::new(#payload);
        #content_type
        #( #headers )*
        #conclude
    }
}

/// A receive step: the armed subscription's first correlated message within the timeout.
fn receive_body(
    step: &ir::Step,
    message: &ir::MessageStep,
    broker: usize,
    index: usize,
    next: Option<usize>,
) -> TokenStream {
    let spec = spec_name(step);
    let field = armed_field(step);
    let subscribe = subscribe(step, message, broker);
    let limit = super::in_flight::receive_limit(step, message.timeout_millis);
    let (expected, matches) = match &message.correlation {
        Some(c) => {
            let v = text(&c.expected, &Plan::none());
            let location = &c.location;
            (
                quote! { let expected = #v; },
                quote! { |m: &rt::message::Message| rt::message::correlates(m, #location, &expected) },
            )
        }
        None => (
            TokenStream::new(),
            quote! { |_: &rt::message::Message| true },
        ),
    };
    let outcome = quote! {
        cx.run
            .receive_message(
                step,
                cx.armed.#field.as_mut(),
                #matches,
                #limit,
            )
            .await
    };
    let conclude = conclude(
        step,
        index,
        next,
        outcome,
        quote! { msg },
        TokenStream::new(),
    );
    quote! {
        let step = &#spec;
        cx.run.enter_step(step)?;
        if cx.armed.#field.is_none() {
            #subscribe
        }
        #expected
        #conclude
    }
}
