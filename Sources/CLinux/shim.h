#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H
// Linux calls that Swift's Glibc module leaves out. `#define _GNU_SOURCE` here would not
// affect headers the Glibc module already owns, so the prototypes are declared by hand.
#include <malloc.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <termios.h>
#include <pty.h>
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "sandbox.h"

extern int pipe2(int fds[2], int flags);
extern int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
extern int close_range(unsigned int first, unsigned int last, int flags);
extern int setresuid(uid_t r, uid_t e, uid_t s);
extern int setresgid(gid_t r, gid_t e, gid_t s);
extern int malloc_trim(size_t pad);

/// Duplicates descriptor `fd` of process `pid` into this process (pidfd_getfd, Linux 5.6);
/// needs ptrace access to `pid`. -1 with errno on failure.
static inline int clinux_copy_fd(int pid, int fd) {
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) return -1;
    int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
    int saved = errno;
    close(pidfd);
    errno = saved;
    return copy;
}

/// Sends `len` bytes and up to 4 descriptors (SCM_RIGHTS) as one message. Returns what
/// sendmsg returns.
static inline long clinux_send_with_fds(int sock, const void *buf, size_t len, const int *fds, int count) {
    if (count < 0 || count > 4) { errno = EINVAL; return -1; }
    struct iovec iov = { (void *)buf, len };
    union { char bytes[CMSG_SPACE(sizeof(int) * 4)]; struct cmsghdr align; } control;
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (count > 0) {
        memset(&control, 0, sizeof control);
        msg.msg_control = control.bytes;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)count);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)count);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)count);
    }
    return (long)sendmsg(sock, &msg, MSG_NOSIGNAL);
}

/// Receives one message and up to `*count` descriptors (close-on-exec); `*count` becomes
/// how many arrived (extra ones are closed). Returns what recvmsg returns.
static inline long clinux_receive_with_fds(int sock, void *buf, size_t len, int *fds, int *count) {
    struct iovec iov = { buf, len };
    union { char bytes[CMSG_SPACE(sizeof(int) * 4)]; struct cmsghdr align; } control;
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.bytes;
    msg.msg_controllen = sizeof control.bytes;
    long n = (long)recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    int capacity = *count, got = 0;
    *count = 0;
    if (n < 0) return n;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int i = 0; i < k; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + sizeof(int) * (size_t)i, sizeof fd);
            if (got < capacity) fds[got++] = fd; else close(fd);
        }
    }
    *count = got;
    return n;
}

/// fork(), except that the child's parent is the caller's parent (CLONE_PARENT): a spawner's
/// sessions are the hub's children from their first instruction, with no intermediate
/// process to fork and reap. glibc's fork() bookkeeping is skipped (its atfork handlers, the
/// thread id it caches), so only for a single-threaded caller that depends on neither.
/// 0 in the child, the child's pid in the caller, -1 with errno on failure.
static inline long clinux_fork_sibling(void) {
    return syscall(SYS_clone, (unsigned long)(0x00008000 /* CLONE_PARENT */ | SIGCHLD), 0UL, (void *)0, (void *)0, 0UL);
}

static inline int clinux_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

static inline int clinux_set_pdeathsig(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }
static inline int clinux_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }
static inline int clinux_set_dumpable(int on) { return prctl(PR_SET_DUMPABLE, on, 0, 0, 0); }
static inline int clinux_set_name(const char *name) { return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0); }

/// SO_PEERCRED of a Unix socket: uid of the peer, or -1.
static inline int clinux_peer_uid(int fd, unsigned int *uid, int *pid) {
    struct { pid_t pid; uid_t uid; gid_t gid; } cred;  // struct ucred, hidden without _GNU_SOURCE
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    *uid = cred.uid; *pid = cred.pid; return 0;
}

static inline int clinux_sigset_of(sigset_t *set, const int *sigs, int n) {
    sigemptyset(set);
    for (int i = 0; i < n; i++) sigaddset(set, sigs[i]);
    return 0;
}
/// Free bytes in the heap's holes: every free byte but the top chunk's (glibc mallinfo2).
static inline size_t clinux_heap_hole_bytes(void) {
    struct mallinfo2 m = mallinfo2();
    return m.fordblks - m.keepcost;
}
/// posix_spawn: close every descriptor from `low` up in the child (glibc 2.34; declared
/// only under _GNU_SOURCE).
int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int low);
#endif
