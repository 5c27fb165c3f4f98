// libsodium (Debian: libsodium-dev), for argon2id password hashes: used by the password
// worker and `chat-server hash-password` only. It starts no thread.
#include <sodium.h>
