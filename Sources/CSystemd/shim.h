// libsystemd (Debian: libsystemd-dev), for sd_notify and the watchdog: used by the hub's
// ServiceNotifier only. sd_notify is a datagram to $NOTIFY_SOCKET; it starts no thread.
#include <systemd/sd-daemon.h>
