//! How a `gord/*` request fails, one answer per cause: params the server
//! cannot use are InvalidParams (-32602); a request the client cancelled, or
//! a newer one superseded, is RequestCancelled (-32800); anything else that
//! stops the server from doing what was asked is RequestFailed (-32803)
//! with a message a user can act on.

use tower_lsp_server::jsonrpc::{Error, ErrorCode};

/// LSP's RequestFailed: the request was valid, the server could not do it.
pub const REQUEST_FAILED: i64 = -32803;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The params are well-formed JSON but make no sense (e.g. a detach
    /// naming neither a session nor a port).
    #[error("{0}")]
    InvalidParams(String),
    /// The client cancelled the request (`window/workDoneProgress/cancel`),
    /// or a newer request of the same kind superseded it.
    #[error("{0}")]
    Cancelled(String),
    /// The server could not do it: the workspace is untrusted, a tool is
    /// missing, a file cannot be read, a child failed.
    #[error("{0}")]
    Failed(String),
}

impl RequestError {
    pub fn invalid_params(message: impl Into<String>) -> Self {
        RequestError::InvalidParams(message.into())
    }

    pub fn cancelled(message: impl Into<String>) -> Self {
        RequestError::Cancelled(message.into())
    }

    pub fn failed(message: impl Into<String>) -> Self {
        RequestError::Failed(message.into())
    }
}

impl From<RequestError> for Error {
    fn from(e: RequestError) -> Self {
        let code = match &e {
            RequestError::InvalidParams(_) => ErrorCode::InvalidParams,
            RequestError::Cancelled(_) => ErrorCode::RequestCancelled,
            RequestError::Failed(_) => ErrorCode::ServerError(REQUEST_FAILED),
        };
        Error {
            code,
            message: e.to_string().into(),
            data: None,
        }
    }
}

/// What a cancelled request answers, by cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelCause {
    /// The user pressed Cancel (`window/workDoneProgress/cancel`).
    Client,
    /// A newer request of the same kind started.
    Superseded,
}

impl CancelCause {
    /// The RequestCancelled answer for a cancelled `method`.
    pub fn error(self, method: &str) -> RequestError {
        RequestError::cancelled(match self {
            CancelCause::Client => format!("{method} cancelled"),
            CancelCause::Superseded => {
                format!("{method} cancelled: a newer {method} request replaced it")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_has_its_own_json_rpc_code() {
        let code = |e: RequestError| Error::from(e).code.code();
        assert_eq!(code(RequestError::invalid_params("x")), -32602);
        assert_eq!(code(RequestError::cancelled("x")), -32800);
        assert_eq!(code(RequestError::failed("x")), -32803);
    }

    #[test]
    fn the_message_is_kept_as_written() {
        let e = Error::from(RequestError::failed("no workspace folder is open"));
        assert_eq!(e.message, "no workspace folder is open");
        assert_eq!(e.data, None);
    }

    #[test]
    fn a_cancel_says_why() {
        assert_eq!(
            CancelCause::Client.error("gord/preload").to_string(),
            "gord/preload cancelled"
        );
        assert_eq!(
            CancelCause::Superseded.error("gord/preload").to_string(),
            "gord/preload cancelled: a newer gord/preload request replaced it"
        );
    }
}
