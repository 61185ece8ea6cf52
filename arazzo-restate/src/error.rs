//! Why an endpoint could not be built or served.

/// An [`Endpoint`](crate::Endpoint) that cannot be built or served.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Restate service names start with a letter (or `_` and a letter or digit) and go on with
    /// letters, digits, `.`, `_` and `-`.
    #[error(
        "`{name}` is not a valid Restate service name; name the service with `WorkflowOptions::name`"
    )]
    ServiceName {
        /// The rejected name.
        name: String,
    },
    /// Two workflows were given the same service name.
    #[error("two workflows are served as `{name}`; give one another `WorkflowOptions::name`")]
    DuplicateService {
        /// The name used twice.
        name: String,
    },
    /// Restate's discovery manifest rejected a value.
    #[error("invalid Restate service description: {0}")]
    Manifest(String),
    /// The address to serve on could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address as given.
        addr: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
}
