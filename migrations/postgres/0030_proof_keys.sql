-- Object integrity proofs (issue 10, FEP-8b32 with eddsa-jcs-2022): Ed25519 keys by key id.
-- Local actors' keys (`local` = 1, with the private key as base64 PKCS#8) are made once, on
-- first use, and never replaced: receivers keep them to check what we published. Remote
-- actors' keys (`local` = 0, no private key) are the FEP-521a `assertionMethod` Multikeys read
-- from their actor documents, kept to check proofs without fetching again.
-- `public_key` is the `publicKeyMultibase`; times are unix microseconds.
CREATE TABLE proof_keys (
    key_id TEXT PRIMARY KEY,
    controller TEXT NOT NULL,
    public_key TEXT NOT NULL,
    private_key TEXT,
    local BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    fetched_at BIGINT NOT NULL
);

CREATE INDEX proof_keys_controller ON proof_keys (controller);
