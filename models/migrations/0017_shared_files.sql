-- Files every instance of an installation must hold alike (the certificate authority's key and
-- certificate, the TSA's, the unsubscribe key), sealed with AES-256-GCM under a key from the
-- environment (PANTAU_SECRET_KEY), so that instances sharing this database sign with one CA.
-- sealed is base64 of nonce || ciphertext; the file's name is the additional data.
CREATE TABLE shared_files (
    name TEXT PRIMARY KEY,
    sealed TEXT NOT NULL,
    created_at {{TIME}} NOT NULL
);
