//! go.work and go.mod directives as preload reads them (use, require,
//! replace, module), and module ids in go's error text: never a panic, and
//! every result is a piece of the input.
#![no_main]

use gord::preload::offline::modules_named_in;
use gord::preload::workspace::{
    parse_go_mod_requires, parse_go_work_uses, parse_module_path, parse_replaces,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for dir in parse_go_work_uses(text) {
        assert!(text.contains(dir.as_str()));
    }
    for module in parse_go_mod_requires(text) {
        assert!(text.contains(module.path.as_str()) && text.contains(module.version.as_str()));
    }
    for replace in parse_replaces(text) {
        assert!(text.contains(replace.new.as_str()));
    }
    let _ = parse_module_path(text);
    for id in modules_named_in(text) {
        assert!(text.contains(id.as_str()) && id.contains('@'));
    }
});
