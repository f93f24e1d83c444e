//! Secrets: the server's master key, API keys (argon2-hashed), bank credentials
//! (AES-256-GCM) and the JWT signing key. Every derived key comes from the one master
//! key (TALLY_SECRET_KEY or ./data/secret.key) with a distinct label, so a leak of one
//! use's key does not give away another's.

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256};

/// Fills a buffer from the OS's CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).expect("the operating system's random source failed");
    b
}

/// The 32-byte master key.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    pub fn generate() -> Self {
        SecretKey(random_bytes())
    }

    /// From its text form: 64 hex digits or base64 of 32 bytes.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let bytes = if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            (0..32).map(|i| u8::from_str_radix(&t[2 * i..2 * i + 2], 16).unwrap_or(0)).collect::<Vec<u8>>()
        } else {
            STANDARD.decode(t).map_err(|_| "secret key is neither 64 hex digits nor base64".to_string())?
        };
        let arr: [u8; 32] = bytes.try_into().map_err(|_| "secret key must be 32 bytes".to_string())?;
        Ok(SecretKey(arr))
    }

    pub fn to_text(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Reads the key file, creating it (mode 0600) with a fresh key when missing.
    pub fn load_or_create(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => SecretKey::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SecretKey::generate();
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                }
                std::fs::write(path, key.to_text()).map_err(|e| format!("{}: {e}", path.display()))?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
                }
                tracing::info!(path = %path.display(), "generated a new secret key");
                Ok(key)
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// A sub-key for one purpose.
    fn derive(&self, label: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"tally/v1/");
        h.update(label.as_bytes());
        h.update(self.0);
        h.finalize().into()
    }
}

/// Everything derived from the master key, built once at start-up.
pub struct Keys {
    pub jwt: [u8; 32],
    sealer: Aes256Gcm,
}

#[derive(Debug, thiserror::Error)]
#[error("sealed data could not be opened")]
pub struct OpenError;

impl Keys {
    pub fn new(master: &SecretKey) -> Self {
        let aead_key = master.derive("credentials");
        Keys {
            jwt: master.derive("jwt"),
            sealer: Aes256Gcm::new_from_slice(&aead_key).expect("32-byte key"),
        }
    }

    /// Encrypts with a fresh random nonce; the text is base64(nonce ‖ ciphertext).
    pub fn seal(&self, plain: &[u8]) -> String {
        let nonce_bytes: [u8; 12] = random_bytes();
        let ct = self.sealer.encrypt(Nonce::from_slice(&nonce_bytes), plain).expect("AES-GCM encryption");
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&ct);
        STANDARD.encode(out)
    }

    pub fn open(&self, sealed: &str) -> Result<Vec<u8>, OpenError> {
        let raw = STANDARD.decode(sealed).map_err(|_| OpenError)?;
        if raw.len() < 12 {
            return Err(OpenError);
        }
        let (nonce, ct) = raw.split_at(12);
        self.sealer.decrypt(Nonce::from_slice(nonce), ct).map_err(|_| OpenError)
    }
}

/// A new API key for `app_id`: base64 of `app_id:secret`, as the contract's clients
/// expect to send it in `Authorization: Basic`. Returns (key, argon2 hash of secret).
pub fn new_api_key(app_id: &str) -> (String, String) {
    let secret = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
    let key = STANDARD.encode(format!("{app_id}:{secret}"));
    (key, hash_secret(&secret))
}

/// Splits an API key into (app id, secret); None when it is not base64 of `id:secret`.
pub fn split_api_key(key: &str) -> Option<(String, String)> {
    let raw = STANDARD.decode(key.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    (!id.is_empty() && !secret.is_empty()).then(|| (id.to_string(), secret.to_string()))
}

fn hash_secret(secret: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16-byte salt");
    Argon2::default().hash_password(secret.as_bytes(), &salt).expect("argon2 hashing").to_string()
}

/// Checks a secret against its stored argon2 PHC string, in caller-owned working
/// memory, which it grows to the hash's `m` and keeps. argon2's own
/// `verify_password` allocates the 19 MiB anew for each check, and glibc
/// keeps a freed block that size resident in the arena of whichever thread ran it:
/// 8 checks on tokio's blocking threads left the server 155 MB larger. Reusing one
/// buffer per hashing permit bounds that memory to the permits. The comparison is
/// `password_hash::Output`'s, which is constant-time.
pub fn verify_secret_in(secret: &str, phc: &str, memory: &mut Vec<argon2::Block>) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else { return false };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else { return false };
    let Ok(algorithm) = argon2::Algorithm::try_from(hash.algorithm) else { return false };
    let version = match hash.version.map(argon2::Version::try_from) {
        None => argon2::Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let Ok(params) = argon2::Params::try_from(&hash) else { return false };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    memory.resize(params.block_count(), argon2::Block::default());
    let mut out = vec![0u8; expected.len()];
    let hasher = Argon2::new(algorithm, version, params);
    if hasher.hash_password_into_with_memory(secret.as_bytes(), salt, &mut out, &mut memory[..]).is_err() {
        return false;
    }
    argon2::password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordVerifier;

    #[test]
    fn sealing_round_trips_and_detects_tampering() {
        let keys = Keys::new(&SecretKey::generate());
        let sealed = keys.seal(b"hooli2016");
        assert!(!sealed.contains("hooli2016"));
        assert_eq!(keys.open(&sealed).unwrap(), b"hooli2016");
        assert_ne!(keys.seal(b"hooli2016"), sealed, "fresh nonce each time");
        let other = Keys::new(&SecretKey::generate());
        assert!(other.open(&sealed).is_err());
        assert!(keys.open("bm90IHNlYWxlZA==").is_err());
    }

    #[test]
    fn api_keys_split_and_verify() {
        let (key, hash) = new_api_key("app-1");
        let (id, secret) = split_api_key(&key).unwrap();
        assert_eq!(id, "app-1");
        let mut memory = Vec::new();
        assert!(verify_secret_in(&secret, &hash, &mut memory));
        assert!(!verify_secret_in("guess", &hash, &mut memory));
        assert!(!hash.contains(&secret));
        assert!(split_api_key("not base64!").is_none());
        assert!(split_api_key(&STANDARD.encode("nocolon")).is_none());
    }

    #[test]
    fn secret_key_text_forms() {
        let k = SecretKey::generate();
        assert_eq!(SecretKey::parse(&k.to_text()).unwrap().0, k.0);
        assert!(SecretKey::parse(&"ab".repeat(32)).is_ok());
        assert!(SecretKey::parse("short").is_err());
    }

    #[test]
    fn verifying_in_reused_memory_agrees_with_argon2s_own_check() {
        let (key, hash) = new_api_key("app1");
        let (_, secret) = split_api_key(&key).unwrap();
        let mut memory = Vec::new();
        let reference = |s: &str| Argon2::default().verify_password(s.as_bytes(), &PasswordHash::new(&hash).unwrap()).is_ok();
        assert!(reference(&secret) && !reference("wrong"));
        assert!(verify_secret_in(&secret, &hash, &mut memory));
        assert!(!memory.is_empty(), "the memory is kept for the next check");
        assert!(!verify_secret_in("wrong", &hash, &mut memory));
        assert!(verify_secret_in(&secret, &hash, &mut memory), "the reused memory gives the same answer");
        assert!(!verify_secret_in(&secret, "not a phc string", &mut memory));
    }
}
