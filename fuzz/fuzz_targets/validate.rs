//! The validator on any bytes: never panics, and always answers.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = feedwright::validate::validate_bytes(data, &Default::default());
    if let Ok((bytes, _)) = feedwright::validate::read_limited(data, 1 << 20) {
        let _ = feedwright::validate::validate_owned(bytes, &Default::default());
    }
});
