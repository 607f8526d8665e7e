-- Doppel trust pack: schema of the trust service tables filled by `database_insert=true`.
-- Idempotent (IF NOT EXISTS everywhere); the generator runs it in the same transaction as the upserts.
-- Country codes are ICAO codes as in the MRZ ("D" for Germany, "FRA"); fingerprints are SHA-256 of the DER.

CREATE SCHEMA IF NOT EXISTS trust_svc;

-- CSCA certificates (self-signed roots and link certificates): the trust anchors of passive authentication.
CREATE TABLE IF NOT EXISTS trust_svc.trust_anchors (
    fingerprint_sha256 char(64)    PRIMARY KEY,
    country_code       text        NOT NULL,
    kind               text        NOT NULL CHECK (kind IN ('self-signed', 'link')),
    subject            text        NOT NULL,
    issuer             text        NOT NULL,
    serial_number      text        NOT NULL,
    subject_key_id     text        NOT NULL,
    authority_key_id   text,
    not_before         timestamptz NOT NULL,
    not_after          timestamptz NOT NULL,
    certificate_der    bytea       NOT NULL,
    source             text        NOT NULL DEFAULT 'doppel'
);
CREATE INDEX IF NOT EXISTS trust_anchors_country_idx ON trust_svc.trust_anchors (country_code);
CREATE INDEX IF NOT EXISTS trust_anchors_ski_idx ON trust_svc.trust_anchors (subject_key_id);

-- CSCA master lists (CMS SignedData, eContentType 2.23.136.1.1.2), one per publishing country.
CREATE TABLE IF NOT EXISTS trust_svc.master_lists (
    id                 text        PRIMARY KEY,            -- '<country>/masterlist'
    country_code       text        NOT NULL,
    signer_subject     text        NOT NULL,
    signer_serial      text        NOT NULL,
    signing_time       timestamptz NOT NULL,
    certificate_count  integer     NOT NULL CHECK (certificate_count >= 0),
    sha256             char(64)    NOT NULL,
    cms_der            bytea       NOT NULL,
    as_of              date        NOT NULL
);
CREATE INDEX IF NOT EXISTS master_lists_country_idx ON trust_svc.master_lists (country_code);

-- Document Signer certificates with their status as of the generation date.
CREATE TABLE IF NOT EXISTS trust_svc.dsc_certificates (
    fingerprint_sha256        char(64)    PRIMARY KEY,
    country_code              text        NOT NULL,
    subject                   text        NOT NULL,
    issuer                    text        NOT NULL,
    serial_number             text        NOT NULL,
    authority_key_id          text        NOT NULL,
    issuer_fingerprint_sha256 char(64)    REFERENCES trust_svc.trust_anchors (fingerprint_sha256),
    not_before                timestamptz NOT NULL,
    not_after                 timestamptz NOT NULL,
    private_key_not_before    timestamptz,
    private_key_not_after     timestamptz,
    status                    text        NOT NULL CHECK (status IN ('valid', 'expired', 'revoked')),
    revoked_at                timestamptz,
    certificate_der           bytea       NOT NULL,
    UNIQUE (issuer, serial_number)
);
CREATE INDEX IF NOT EXISTS dsc_certificates_country_idx ON trust_svc.dsc_certificates (country_code);

-- Latest CRL per CSCA key (identified by the CRL's authority key identifier = CSCA SKI).
CREATE TABLE IF NOT EXISTS trust_svc.crl_cache (
    issuer_key_id      text        PRIMARY KEY,
    country_code       text        NOT NULL,
    issuer             text        NOT NULL,
    crl_number         numeric     NOT NULL,
    this_update        timestamptz NOT NULL,
    next_update        timestamptz NOT NULL,
    revoked_serials    text[]      NOT NULL,
    sha256             char(64)    NOT NULL,
    crl_der            bytea       NOT NULL
);
