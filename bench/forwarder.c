/* bench/forwarder.c: the ceiling of a proxy hop on this machine.
 *
 * One thread, one epoll loop, no parsing: every accepted client gets its own backend connection,
 * and bytes read on one side are written to the other. A write the peer cannot take at once is
 * kept and the reading side paused until it drains, so nothing is lost and nothing spins.
 * bench/compare builds it (cc -O2) and runs it as the "forwarder" target, so weft's speed reads
 * as a fraction of what any proxy can do here.
 *
 * usage: forwarder LISTEN_PORT BACKEND_HOST BACKEND_PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { BUFFER = 65536, BATCH = 256 };

struct side {
    int fd;
    struct side *peer;
    struct pair *pair;
    size_t pending, sent; /* bytes of buf still to be written to this side's fd */
    int paused;           /* reading this side is paused until the peer drains */
    char buf[BUFFER];     /* what goes out to this side */
};

struct pair {
    struct side client, backend;
    int dead;
    struct pair *next_dead;
};

static int epoll_fd;
static struct sockaddr_in backend_address;
static struct pair *dead_pairs;

static void watch(struct side *s, int op, unsigned events) {
    struct epoll_event ev = {.events = events, .data.ptr = s};
    if (epoll_ctl(epoll_fd, op, s->fd, &ev) != 0) perror("epoll_ctl");
}

static void close_pair(struct pair *p) {
    if (p->dead) return;
    p->dead = 1;
    close(p->client.fd);
    close(p->backend.fd);
    p->next_dead = dead_pairs;
    dead_pairs = p;
}

static int no_delay(int fd) {
    int one = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void open_pair(int client_fd) {
    int backend_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (backend_fd < 0 ||
        connect(backend_fd, (struct sockaddr *)&backend_address, sizeof backend_address) != 0) {
        perror("connect to backend");
        if (backend_fd >= 0) close(backend_fd);
        close(client_fd);
        return;
    }
    no_delay(client_fd);
    no_delay(backend_fd);
    struct pair *p = calloc(1, sizeof *p);
    p->client = (struct side){.fd = client_fd, .peer = &p->backend, .pair = p};
    p->backend = (struct side){.fd = backend_fd, .peer = &p->client, .pair = p};
    watch(&p->client, EPOLL_CTL_ADD, EPOLLIN);
    watch(&p->backend, EPOLL_CTL_ADD, EPOLLIN);
}

/* Writes what `to` holds; 1 when all of it went, 0 when some waits for EPOLLOUT, -1 on error. */
static int flush(struct side *to) {
    while (to->sent < to->pending) {
        ssize_t n = write(to->fd, to->buf + to->sent, to->pending - to->sent);
        if (n > 0) {
            to->sent += (size_t)n;
        } else if (n < 0 && errno == EAGAIN) {
            return 0;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            return -1;
        }
    }
    to->pending = to->sent = 0;
    return 1;
}

static void on_readable(struct side *from) {
    struct side *to = from->peer;
    ssize_t n = read(from->fd, to->buf, BUFFER);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        close_pair(from->pair);
        return;
    }
    to->pending = (size_t)n;
    int done = flush(to);
    if (done < 0) {
        close_pair(from->pair);
    } else if (done == 0) { /* pause reading `from` until `to` drains */
        from->paused = 1;
        watch(from, EPOLL_CTL_MOD, 0);
        watch(to, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
    }
}

static void on_writable(struct side *to) {
    int done = flush(to);
    if (done < 0) {
        close_pair(to->pair);
    } else if (done == 1) {
        watch(to, EPOLL_CTL_MOD, EPOLLIN);
        to->peer->paused = 0;
        watch(to->peer, EPOLL_CTL_MOD, EPOLLIN);
    }
}

static int listen_on(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4096) != 0) {
        perror("listen");
        exit(1);
    }
    return fd;
}

static void accept_all(int listen_fd) {
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK);
        if (fd < 0) return;
        open_pair(fd);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: forwarder LISTEN_PORT BACKEND_HOST BACKEND_PORT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    backend_address.sin_family = AF_INET;
    backend_address.sin_port = htons((uint16_t)atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &backend_address.sin_addr) != 1) {
        fprintf(stderr, "forwarder: %s is not an IPv4 address\n", argv[2]);
        return 2;
    }
    int listen_fd = listen_on(atoi(argv[1]));
    epoll_fd = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev);
    struct epoll_event events[BATCH];
    for (;;) {
        int n = epoll_wait(epoll_fd, events, BATCH, -1);
        for (int i = 0; i < n; i++) {
            struct side *s = events[i].data.ptr;
            if (s == NULL) {
                accept_all(listen_fd);
                continue;
            }
            if (s->pair->dead) continue;
            if (s->paused && (events[i].events & (EPOLLHUP | EPOLLERR))) {
                close_pair(s->pair);
                continue;
            }
            if (events[i].events & EPOLLOUT) on_writable(s);
            if (!s->pair->dead && !s->paused && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                on_readable(s);
        }
        while (dead_pairs) { /* freed after the batch: later events may still point at them */
            struct pair *p = dead_pairs;
            dead_pairs = p->next_dead;
            free(p);
        }
    }
}
