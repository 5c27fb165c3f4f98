// OpenSSL 3 (Debian: libssl-dev): TLS for the server's sessions and chat-tui. Used through
// memory BIOs only (ChatTLS), so it never touches a descriptor and starts no thread. The
// helpers below wrap what Swift cannot import (macros) or what takes many calls in C.
// The key isolation needs the EC_KEY_METHOD and RSA_METHOD hooks, deprecated in OpenSSL 3 but
// kept (engines use them) and the smallest way to sign outside the process.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <string.h>
#include <openssl/ssl.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
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

/// Accepts any client certificate without judging its chain: the certificate's fingerprint is
/// the identity (SASL EXTERNAL, NickServ CERT), as Ergo and InspIRCd have it.
static int cssl_accept_any_certificate(X509_STORE_CTX *store, void *arg) { (void)store; (void)arg; return 1; }

/// A server context with the certificate chain (leaf first) from PEM bytes, TLS 1.2 at least,
/// no renegotiation, no compression; its leaf in `leafOut` (owned by the caller). NULL with
/// `err` filled.
static inline SSL_CTX *cssl_server_context_with_chain(const void *chain, int chainLength, X509 **leafOut,
                                                      char *err, size_t errSize) {
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) { cssl_last_error(err, errSize); return NULL; }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    // No session cache: every session is its own process, a cache would live in one of them.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(ctx, 0);
    // Ask for a client certificate, require none, and take any (no CA store, no file read).
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_cert_verify_callback(ctx, cssl_accept_any_certificate, NULL);
    BIO *bio = BIO_new_mem_buf(chain, chainLength);
    X509 *leaf = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    if (!leaf) {
        strncpy(err, "no PEM certificate in the certificate file", errSize - 1); err[errSize - 1] = 0;
        goto fail;
    }
    if (SSL_CTX_use_certificate(ctx, leaf) != 1) { cssl_last_error(err, errSize); goto fail; }
    for (X509 *ca; (ca = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL;) {
        if (SSL_CTX_add0_chain_cert(ctx, ca) != 1) { X509_free(ca); cssl_last_error(err, errSize); goto fail; }
    }
    ERR_clear_error();  // the end of the chain reads as an error
    BIO_free(bio);
    *leafOut = leaf;
    return ctx;
fail:
    if (leaf) X509_free(leaf);
    if (bio) BIO_free(bio);
    SSL_CTX_free(ctx);
    return NULL;
}

/// A server context with the certificate chain and the private key from PEM bytes, checked to
/// match (the hub checks a pair with it). NULL with `err` filled.
static inline SSL_CTX *cssl_server_context(const void *chain, int chainLength, const void *key, int keyLength,
                                           char *err, size_t errSize) {
    X509 *leaf = NULL;
    SSL_CTX *ctx = cssl_server_context_with_chain(chain, chainLength, &leaf, err, errSize);
    if (!ctx) return NULL;
    X509_free(leaf);
    BIO *bio = BIO_new_mem_buf(key, keyLength);
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

/// A client context: TLS 1.2 at least, the system's CA store unless `systemStore` is 0 (a
/// client that judges no certificate: the bench, the spawner's rehearsal); the verification
/// itself is judged after the handshake (`cssl_verify_result`), so that a self-signed server
/// can be trusted on first use. NULL with `err` filled.
static inline SSL_CTX *cssl_client_context(int systemStore, char *err, size_t errSize) {
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) { cssl_last_error(err, errSize); return NULL; }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    if (systemStore && SSL_CTX_set_default_verify_paths(ctx) != 1) ERR_clear_error();
    return ctx;
}

/// Gives a client context the certificate (chain) and private key of PEM bytes (both in one
/// file, as irssi's `-tls_cert` takes them), checked to match. 0 with `err` filled.
static inline int cssl_client_use_certificate(SSL_CTX *ctx, const void *pem, int length, char *err, size_t errSize) {
    ERR_clear_error();
    BIO *bio = BIO_new_mem_buf(pem, length);
    X509 *leaf = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    EVP_PKEY *key = NULL;
    int ok = 0;
    if (!leaf) { strncpy(err, "no PEM certificate in the file", errSize - 1); err[errSize - 1] = 0; goto done; }
    if (SSL_CTX_use_certificate(ctx, leaf) != 1) { cssl_last_error(err, errSize); goto done; }
    BIO_free(bio);
    bio = BIO_new_mem_buf(pem, length);  // the key may come before or after the certificates
    key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    if (!key) { strncpy(err, "no PEM private key in the file (or it is encrypted)", errSize - 1); err[errSize - 1] = 0; goto done; }
    if (SSL_CTX_use_PrivateKey(ctx, key) != 1) { cssl_last_error(err, errSize); goto done; }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        strncpy(err, "the private key does not match the certificate", errSize - 1); err[errSize - 1] = 0;
        goto done;
    }
    ok = 1;
done:
    if (key) EVP_PKEY_free(key);
    if (leaf) X509_free(leaf);
    if (bio) BIO_free(bio);
    ERR_clear_error();
    return ok;
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

// MARK: Signing elsewhere (the private key never enters the process that runs TLS)

/// Signs for a context made by `cssl_server_context_delegated`: `kind` 1 is ECDSA over a
/// digest (the answer DER), 2 an RSA private-key operation with `padding` (RSA_NO_PADDING for
/// PSS, which OpenSSL pads first; RSA_PKCS1_PADDING for TLS 1.2's PKCS#1). Returns the
/// answer's length in `out`, or -1.
typedef int (*cssl_signer_fn)(int kind, int padding, const unsigned char *in, int inLength, unsigned char *out, int outSize);
static cssl_signer_fn cssl_signer = NULL;
static inline void cssl_set_signer(cssl_signer_fn f) { cssl_signer = f; }

static int cssl_ec_delegated_sign(int type, const unsigned char *dgst, int dlen, unsigned char *sig, unsigned int *siglen,
                                  const BIGNUM *kinv, const BIGNUM *r, EC_KEY *eckey) {
    (void)type; (void)kinv; (void)r;
    if (!cssl_signer) return 0;
    int n = cssl_signer(1, 0, dgst, dlen, sig, ECDSA_size(eckey));
    if (n <= 0) return 0;
    *siglen = (unsigned int)n;
    return 1;
}

static int cssl_rsa_delegated_priv_enc(int flen, const unsigned char *from, unsigned char *to, RSA *rsa, int padding) {
    if (!cssl_signer) return -1;
    return cssl_signer(2, padding, from, flen, to, RSA_size(rsa));
}

/// A server context whose private key is only a public key with signing forwarded to
/// `cssl_signer`: the certificate chain from PEM bytes, nothing secret. NULL with `err` filled.
static inline SSL_CTX *cssl_server_context_delegated(const void *chain, int chainLength, char *err, size_t errSize) {
    X509 *leaf = NULL;
    SSL_CTX *ctx = cssl_server_context_with_chain(chain, chainLength, &leaf, err, errSize);
    if (!ctx) return NULL;
    EVP_PKEY *pkey = NULL;
    EVP_PKEY *pub = X509_get0_pubkey(leaf);
    if (pub && EVP_PKEY_get_base_id(pub) == EVP_PKEY_EC) {
        static EC_KEY_METHOD *method = NULL;
        if (!method) {
            method = EC_KEY_METHOD_new(EC_KEY_get_default_method());
            int (*psign)(int, const unsigned char *, int, unsigned char *, unsigned int *, const BIGNUM *, const BIGNUM *, EC_KEY *) = NULL;
            int (*psetup)(EC_KEY *, BN_CTX *, BIGNUM **, BIGNUM **) = NULL;
            ECDSA_SIG *(*psig)(const unsigned char *, int, const BIGNUM *, const BIGNUM *, EC_KEY *) = NULL;
            EC_KEY_METHOD_get_sign(method, &psign, &psetup, &psig);
            EC_KEY_METHOD_set_sign(method, cssl_ec_delegated_sign, psetup, psig);
        }
        EC_KEY *ec = EVP_PKEY_get1_EC_KEY(pub);
        if (!ec || EC_KEY_set_method(ec, method) != 1) { EC_KEY_free(ec); cssl_last_error(err, errSize); goto fail; }
        pkey = EVP_PKEY_new();
        if (!pkey || EVP_PKEY_assign_EC_KEY(pkey, ec) != 1) { EC_KEY_free(ec); cssl_last_error(err, errSize); goto fail; }
    } else if (pub && EVP_PKEY_get_base_id(pub) == EVP_PKEY_RSA) {
        static RSA_METHOD *method = NULL;
        if (!method) {
            method = RSA_meth_dup(RSA_PKCS1_OpenSSL());
            RSA_meth_set_priv_enc(method, cssl_rsa_delegated_priv_enc);
        }
        RSA *rsa = EVP_PKEY_get1_RSA(pub);
        if (!rsa || RSA_set_method(rsa, method) != 1) { RSA_free(rsa); cssl_last_error(err, errSize); goto fail; }
        pkey = EVP_PKEY_new();
        if (!pkey || EVP_PKEY_assign_RSA(pkey, rsa) != 1) { RSA_free(rsa); cssl_last_error(err, errSize); goto fail; }
    } else {
        strncpy(err, "the certificate's key is neither EC nor RSA", errSize - 1); err[errSize - 1] = 0;
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey(ctx, pkey) != 1) { cssl_last_error(err, errSize); goto fail; }
    EVP_PKEY_free(pkey);
    X509_free(leaf);
    return ctx;
fail:
    if (pkey) EVP_PKEY_free(pkey);
    X509_free(leaf);
    SSL_CTX_free(ctx);
    return NULL;
}

/// The key holder's side: a private key from PEM bytes; NULL when it does not parse.
static inline EVP_PKEY *cssl_private_key(const void *pem, int length) {
    BIO *bio = BIO_new_mem_buf(pem, length);
    EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    if (bio) BIO_free(bio);
    ERR_clear_error();
    return k;
}

/// The operation `cssl_signer` forwards, done with the real key: the answer's length, or -1.
static inline int cssl_sign_with(EVP_PKEY *key, int kind, int padding, const unsigned char *in, int inLength,
                                 unsigned char *out, int outSize) {
    int n = -1;
    if (kind == 1 && EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
        EC_KEY *ec = EVP_PKEY_get1_EC_KEY(key);
        unsigned int len = 0;
        if (ec && inLength <= 64 && ECDSA_size(ec) <= outSize && ECDSA_sign(0, in, inLength, out, &len, ec) == 1) n = (int)len;
        EC_KEY_free(ec);
    } else if (kind == 2 && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA && (padding == RSA_NO_PADDING || padding == RSA_PKCS1_PADDING)) {
        RSA *rsa = EVP_PKEY_get1_RSA(key);
        if (rsa && RSA_size(rsa) <= outSize && inLength <= RSA_size(rsa)) n = RSA_private_encrypt(inLength, in, out, rsa, padding);
        RSA_free(rsa);
    }
    ERR_clear_error();
    return n;
}
