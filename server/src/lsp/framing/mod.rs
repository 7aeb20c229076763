//! Our own JSON-RPC framing in front of tower-lsp, whose read loop ends (and
//! the sidecar with it) on the first message it cannot decode. The relay
//! decodes the editor's stream itself ([`decode`]), answers what is not a
//! message ([`message`]) and forwards only what tower-lsp accepts
//! ([`relay`]).

pub mod decode;
pub mod message;
pub mod relay;

pub use decode::{Decoder, Event, FrameError, MAX_BODY_BYTES, MAX_HEADER_BYTES};
pub use message::{check, Verdict};
pub use relay::Relay;
