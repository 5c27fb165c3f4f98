// OpenSSL 3 (Debian: libssl-dev): TLS for the server's sessions and chat-tui. Used through
// memory BIOs only (ChatTLS), so it never touches a descriptor and starts no thread. The
// helpers below wrap what Swift cannot import (macros) or what takes many calls in C.
#include <string.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/evp.h>

/// The oldest error in the thread's queue as one line (the queue emptied), or "" when empty.
static inline void cssl_last_error(char *out, size_t size) {
    unsigned long e = ERR_get_error(), next;
    out[0] = 0;
    if (e == 0) return;
    // The most specific reason is usually the last one queued.
    while ((next = ERR_get_error()) != 0) e = next;
    const char *reason = ERR_reason_error_string(e);
    if (reason) { strncpy(out, reason, size - 1); out[size - 1] = 0; } else { ERR_error_string_n(e, out, size); }
}

/// A server context: TLS 1.2 at least, no renegotiation, no compression, the certificate chain
/// (leaf first) and the private key from PEM bytes, checked to match. NULL with `err` filled.
static inline SSL_CTX *cssl_server_context(const void *chain, int chainLength, const void *key, int keyLength,
                                           char *err, size_t errSize) {
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) { cssl_last_error(err, errSize); return NULL; }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    // No session cache: every session is its own process, a cache would live in one of them.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(ctx, 0);
    BIO *bio = BIO_new_mem_buf(chain, chainLength);
    X509 *leaf = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    if (!leaf) {
        strncpy(err, "no PEM certificate in the certificate file", errSize - 1); err[errSize - 1] = 0;
        goto fail;
    }
    if (SSL_CTX_use_certificate(ctx, leaf) != 1) { X509_free(leaf); cssl_last_error(err, errSize); goto fail; }
    X509_free(leaf);
    for (X509 *ca; (ca = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL;) {
        if (SSL_CTX_add0_chain_cert(ctx, ca) != 1) { X509_free(ca); cssl_last_error(err, errSize); goto fail; }
    }
    ERR_clear_error();  // the end of the chain reads as an error
    BIO_free(bio);
    bio = BIO_new_mem_buf(key, keyLength);
    EVP_PKEY *pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    if (!pkey) {
        strncpy(err, "no PEM private key in the key file (or it is encrypted)", errSize - 1); err[errSize - 1] = 0;
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey(ctx, pkey) != 1) { EVP_PKEY_free(pkey); cssl_last_error(err, errSize); goto fail; }
    EVP_PKEY_free(pkey);
    if (SSL_CTX_check_private_key(ctx) != 1) {
        strncpy(err, "the private key does not match the certificate", errSize - 1); err[errSize - 1] = 0;
        goto fail;
    }
    BIO_free(bio);
    return ctx;
fail:
    if (bio) BIO_free(bio);
    SSL_CTX_free(ctx);
    return NULL;
}

/// A client context: TLS 1.2 at least, the system's CA store; the verification itself is
/// judged after the handshake (`cssl_verify_result`), so that a self-signed server can be
/// trusted on first use. NULL with `err` filled.
static inline SSL_CTX *cssl_client_context(char *err, size_t errSize) {
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) { cssl_last_error(err, errSize); return NULL; }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    if (SSL_CTX_set_default_verify_paths(ctx) != 1) ERR_clear_error();
    return ctx;
}

/// A connection over two memory BIOs (network bytes in, network bytes out). `host`, for a
/// client: sent as SNI and checked against the certificate. NULL on failure.
static inline SSL *cssl_connection(SSL_CTX *ctx, int server, const char *host) {
    SSL *ssl = SSL_new(ctx);
    if (!ssl) return NULL;
    BIO *in = BIO_new(BIO_s_mem()), *out = BIO_new(BIO_s_mem());
    if (!in || !out) { BIO_free(in); BIO_free(out); SSL_free(ssl); return NULL; }
    BIO_set_mem_eof_return(in, -1);  // empty means "more to come", not the end
    SSL_set_bio(ssl, in, out);
    SSL_set_mode(ssl, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (server) {
        SSL_set_accept_state(ssl);
    } else {
        SSL_set_connect_state(ssl);
        if (host && host[0]) {
            SSL_set_tlsext_host_name(ssl, host);
            SSL_set1_host(ssl, host);
        }
    }
    return ssl;
}

static inline int cssl_feed(SSL *ssl, const void *bytes, int n) { return BIO_write(SSL_get_rbio(ssl), bytes, n); }
static inline size_t cssl_pending_out(SSL *ssl) { return BIO_ctrl_pending(SSL_get_wbio(ssl)); }
static inline int cssl_take_out(SSL *ssl, void *into, int n) { return BIO_read(SSL_get_wbio(ssl), into, n); }

/// SHA-256 of the peer's certificate (DER) into `md` (32 bytes); 0 when there is none.
static inline int cssl_peer_fingerprint(SSL *ssl, unsigned char *md) {
    X509 *cert = SSL_get1_peer_certificate(ssl);
    if (!cert) return 0;
    unsigned int len = 0;
    int ok = X509_digest(cert, EVP_sha256(), md, &len) == 1 && len == 32;
    X509_free(cert);
    return ok;
}

/// SHA-256 of the first certificate of PEM bytes; 0 when there is none.
static inline int cssl_pem_fingerprint(const void *pem, int length, unsigned char *md) {
    BIO *bio = BIO_new_mem_buf(pem, length);
    X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    if (bio) BIO_free(bio);
    if (!cert) { ERR_clear_error(); return 0; }
    unsigned int len = 0;
    int ok = X509_digest(cert, EVP_sha256(), md, &len) == 1 && len == 32;
    X509_free(cert);
    return ok;
}

/// The certificate check's verdict after the handshake (X509_V_OK is 0), and its text.
static inline long cssl_verify_result(SSL *ssl) { return SSL_get_verify_result(ssl); }
static inline const char *cssl_verify_text(long result) { return X509_verify_cert_error_string(result); }
