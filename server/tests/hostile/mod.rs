//! The hostile-input suite (issue #13): a hostile repository, hostile
//! reports and a broken client, each reproduced against the real binary.
//! Every test here failed on the main branch before the fix it guards; if
//! one passes again without its fix, the attack is back.
//!
//! One module per front: bounded reads, Restricted Mode, edits, child
//! processes, output, and the JSON-RPC framing.

use crate::common;

mod children;
mod edits;
mod framing;
mod output;
mod reads;
mod trust;
