// SQLite (Debian: libsqlite3-dev), the hub's state store: accounts, under --state-dir.
// Opened by the hub only, after it dropped root; SQLite starts no thread.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro Swift cannot import: bound text is copied by SQLite.
static inline void (*chat_sqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }
