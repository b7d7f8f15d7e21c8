//! Request and key-pair IDs.

use std::fmt::Write as _;

use rand_core::{OsRng, RngCore};

/// Makes request and key IDs.
pub trait IdSource: Send + Sync {
    /// A request ID such as `6EF60BEC-0242-43AF-BB20-270359FB54A7`.
    fn request_id(&self) -> String;
    /// A key ID such as `skey-4e5ty7i8`.
    fn key_id(&self) -> String;
}

/// IDs from the operating system's random generator.
///
/// ```
/// use keyvet_cloud::{IdSource, RandomIds};
/// let id = RandomIds.key_id();
/// assert!(id.starts_with("skey-") && id.len() == 13);
/// assert_eq!(RandomIds.request_id().len(), 36);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn request_id(&self) -> String {
        let mut b = [0u8; 16];
        OsRng.fill_bytes(&mut b);
        // A version 4 UUID, upper case as the documented examples.
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let mut s = String::with_capacity(36);
        for (i, x) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                s.push('-');
            }
            let _ = write!(s, "{x:02X}");
        }
        s
    }

    fn key_id(&self) -> String {
        const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let mut s = String::from("skey-");
        // One read of the system's generator for all 8 characters (one
        // byte in 64 is rejected: 32 bytes run out once in ~10^20 IDs,
        // and then another read is made).
        while s.len() < 13 {
            let mut b = [0u8; 32];
            OsRng.fill_bytes(&mut b);
            // Rejection sampling: 252 = 7 * 36 keeps the choice uniform.
            for x in b.into_iter().filter(|&x| x < 252) {
                if s.len() == 13 {
                    break;
                }
                s.push(char::from(ALPHABET[usize::from(x % 36)]));
            }
        }
        s
    }
}
