/*
 * streams_load: many concurrent, continuously moving TCP streams through an SNI-routing proxy, for
 * benchmarks/peers/streams.sh (memory per active streaming connection). Loopback only (127.0.0.0/8).
 *
 *   streams_load sink  -l 127.0.0.1:PORT -H hello.bin [-r BYTES_PER_S_PER_CONN=0]
 *       Accepts connections, reads exactly the ClientHello's length, answers one byte 0x01 (0x02 when the
 *       bytes differ from hello.bin), then reads everything that follows: as fast as it comes (-r 0), or at
 *       most -r bytes per second per connection (a slow reader: the proxy's buffers and the socket buffers
 *       fill). Runs until SIGTERM, then prints one line: accepted= bytes= mismatches=.
 *   streams_load drive -c 127.0.0.1:PORT -H hello.bin -n CONNS [-r BYTES_PER_S_PER_CONN=0] [-t SECONDS=10]
 *       Opens CONNS connections one after another (hello, then the 1-byte answer), prints READY opened=N,
 *       then sends on every connection for SECONDS: at most -r bytes per second each (a 20 ms tick), or as
 *       fast as each socket takes them (-r 0, 128 KiB writes). Prints one line: opened= failed= bytes=
 *       seconds= mbps= min_conn_bytes= max_conn_bytes= (the least and most any one connection sent, so a
 *       stalled stream shows) ok=.
 *
 * One thread each, epoll, non-blocking sockets. Built by streams.sh with gcc -O2.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "load_common.h"

#define TICK_MS 20
#define CHUNK (128 * 1024)


/* Loopback only: the streams script measures memory on one machine, never across a network. */
static int parse_addr(const char *s, struct sockaddr_in *a)
{
    return parse_ipv4(s, a) == 0 && (ntohl(a->sin_addr.s_addr) >> 24) == 127 ? 0 : -1;
}

static void nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

/* ---------- sink ---------- */

struct sconn {
    int fd;
    size_t hello_got;
    int answered;
    int closed;
    int64_t quota;      /* bytes this connection may still read in the current tick (-r) */
    int want_read;      /* readable data is waiting for quota */
    unsigned char *hello;
};

static int run_sink(const struct sockaddr_in *addr, const unsigned char *hello, size_t hello_len, int64_t rate)
{
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(ls, (const struct sockaddr *)addr, sizeof *addr) != 0 || listen(ls, 4096) != 0)
        die("sink listen");
    nonblocking(ls);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    static unsigned char buf[256 * 1024];
    uint64_t accepted = 0, bytes = 0, mismatches = 0;
    int64_t per_tick = rate * TICK_MS / 1000;
    size_t cap = 1024, n = 0;
    struct sconn **all = calloc(cap, sizeof *all);
    double next_tick = now_s() + TICK_MS / 1e3;
    struct epoll_event evs[256];
    while (!g_stop) {
        int wait_ms = -1;
        if (rate > 0) {
            double d = next_tick - now_s();
            wait_ms = d > 0 ? (int)(d * 1000) + 1 : 0;
        }
        int k = epoll_wait(ep, evs, 256, wait_ms);
        if (k < 0 && errno != EINTR)
            die("epoll_wait");
        for (int i = 0; i < k; i++) {
            struct sconn *c = evs[i].data.ptr;
            if (!c) {
                for (;;) {
                    int fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK);
                    if (fd < 0)
                        break;
                    c = calloc(1, sizeof *c);
                    c->fd = fd;
                    c->hello = malloc(hello_len);
                    c->quota = per_tick;
                    if (n == cap) {
                        cap *= 2;
                        all = realloc(all, cap * sizeof *all);
                    }
                    all[n++] = c;
                    accepted++;
                    struct epoll_event e = { .events = EPOLLIN, .data.ptr = c };
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
                }
                continue;
            }
            if (c->closed)
                continue;
            for (;;) {
                size_t want;
                unsigned char *dst;
                if (c->hello_got < hello_len) {
                    want = hello_len - c->hello_got;
                    dst = c->hello + c->hello_got;
                } else {
                    if (rate > 0 && c->quota <= 0) {
                        /* out of quota: stop watching until the next tick refills it */
                        struct epoll_event e = { .events = 0, .data.ptr = c };
                        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                        c->want_read = 1;
                        break;
                    }
                    want = sizeof buf;
                    if (rate > 0 && (int64_t)want > c->quota)
                        want = (size_t)c->quota;
                    dst = buf;
                }
                ssize_t r = recv(c->fd, dst, want, 0);
                if (r <= 0) {
                    if (r < 0 && (errno == EAGAIN || errno == EINTR))
                        break;
                    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                    close(c->fd);
                    c->closed = 1;
                    break;
                }
                if (c->hello_got < hello_len) {
                    c->hello_got += (size_t)r;
                    if (c->hello_got == hello_len && !c->answered) {
                        unsigned char a = memcmp(c->hello, hello, hello_len) == 0 ? 1 : 2;
                        if (a != 1)
                            mismatches++;
                        if (send(c->fd, &a, 1, MSG_NOSIGNAL) != 1)
                            mismatches++;
                        c->answered = 1;
                    }
                } else {
                    bytes += (uint64_t)r;
                    if (rate > 0)
                        c->quota -= r;
                }
                if ((size_t)r < want)
                    break;
            }
        }
        if (rate > 0 && now_s() >= next_tick) {
            next_tick += TICK_MS / 1e3;
            for (size_t i = 0; i < n; i++) {
                struct sconn *c = all[i];
                if (c->closed)
                    continue;
                c->quota = per_tick;
                if (c->want_read) {
                    c->want_read = 0;
                    struct epoll_event e = { .events = EPOLLIN, .data.ptr = c };
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                }
            }
        }
    }
    printf("sink: accepted=%llu bytes=%llu mismatches=%llu\n", (unsigned long long)accepted,
           (unsigned long long)bytes, (unsigned long long)mismatches);
    return 0;
}

/* ---------- drive ---------- */

struct dconn {
    int fd;
    uint64_t sent;
    int dead;
};

/* connect, send the hello, read the 1-byte answer (blocking, 5 s bounds), then non-blocking */
static int open_routed(const struct sockaddr_in *addr, const unsigned char *hello, size_t hello_len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = { .tv_sec = 5 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    unsigned char a = 0;
    if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) != 0
        || send(fd, hello, hello_len, MSG_NOSIGNAL) != (ssize_t)hello_len || recv(fd, &a, 1, 0) != 1 || a != 1) {
        close(fd);
        return -1;
    }
    nonblocking(fd);
    return fd;
}

static int run_drive(const struct sockaddr_in *addr, const unsigned char *hello, size_t hello_len, int conns,
                     int64_t rate, double seconds)
{
    struct dconn *cs = calloc((size_t)conns, sizeof *cs);
    int opened = 0, failed = 0;
    for (int i = 0; i < conns && !g_stop; i++) {
        int fd = open_routed(addr, hello, hello_len);
        if (fd < 0) {
            failed++;
            cs[i].fd = -1;
            cs[i].dead = 1;
            continue;
        }
        cs[i].fd = fd;
        opened++;
    }
    printf("READY opened=%d failed=%d\n", opened, failed);
    fflush(stdout);
    static unsigned char buf[CHUNK];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 131u + 7u);
    int ep = epoll_create1(0);
    if (rate == 0)
        for (int i = 0; i < conns; i++)
            if (!cs[i].dead) {
                struct epoll_event e = { .events = EPOLLOUT, .data.u32 = (uint32_t)i };
                epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &e);
            }
    int64_t per_tick = rate * TICK_MS / 1000;
    double t0 = now_s(), end = t0 + seconds, next_tick = t0;
    struct epoll_event evs[256];
    uint64_t total = 0;
    while (!g_stop && now_s() < end) {
        if (rate == 0) {
            int k = epoll_wait(ep, evs, 256, 100);
            for (int j = 0; j < k; j++) {
                struct dconn *c = &cs[evs[j].data.u32];
                ssize_t w = send(c->fd, buf, sizeof buf, MSG_NOSIGNAL);
                if (w > 0) {
                    c->sent += (uint64_t)w;
                    total += (uint64_t)w;
                } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                    c->dead = 1;
                }
            }
            continue;
        }
        double d = next_tick - now_s();
        if (d > 0) {
            struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)(d * 1e9) };
            nanosleep(&ts, NULL);
        }
        next_tick += TICK_MS / 1e3;
        for (int i = 0; i < conns; i++) {
            struct dconn *c = &cs[i];
            if (c->dead)
                continue;
            /* at most this tick's share; a full socket (the reader is slower) just skips the tick */
            ssize_t w = send(c->fd, buf, (size_t)per_tick, MSG_NOSIGNAL);
            if (w > 0) {
                c->sent += (uint64_t)w;
                total += (uint64_t)w;
            } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                c->dead = 1;
            }
        }
    }
    double secs = now_s() - t0;
    uint64_t lo = UINT64_MAX, hi = 0;
    int dead = 0;
    for (int i = 0; i < conns; i++) {
        if (cs[i].fd < 0)
            continue;
        if (cs[i].dead)
            dead++;
        if (cs[i].sent < lo)
            lo = cs[i].sent;
        if (cs[i].sent > hi)
            hi = cs[i].sent;
        close(cs[i].fd);
    }
    if (lo == UINT64_MAX)
        lo = 0;
    printf("mode=drive opened=%d failed=%d dead=%d bytes=%llu seconds=%.3f mbps=%.1f min_conn_bytes=%llu "
           "max_conn_bytes=%llu ok=%d\n",
           opened, failed, dead, (unsigned long long)total, secs, secs > 0 ? (double)total * 8 / secs / 1e6 : 0.0,
           (unsigned long long)lo, (unsigned long long)hi, failed == 0 && dead == 0 && opened == conns && lo > 0);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage:\n"
                    "  streams_load sink  -l 127.0.0.1:PORT -H hello.bin [-r BYTES_PER_S_PER_CONN=0]\n"
                    "  streams_load drive -c 127.0.0.1:PORT -H hello.bin -n CONNS [-r BYTES_PER_S_PER_CONN=0] [-t SECONDS=10]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2)
        usage();
    const char *mode = argv[1], *addr_s = NULL, *hello_path = NULL;
    int conns = 0;
    int64_t rate = 0;
    double seconds = 10;
    int opt;
    optind = 2;
    while ((opt = getopt(argc, argv, "l:c:H:n:r:t:")) != -1) {
        switch (opt) {
        case 'l':
        case 'c': addr_s = optarg; break;
        case 'H': hello_path = optarg; break;
        case 'n': conns = atoi(optarg); break;
        case 'r': rate = (int64_t)strtod(optarg, NULL); break;
        case 't': seconds = strtod(optarg, NULL); break;
        default: usage();
        }
    }
    struct sockaddr_in addr;
    if (!addr_s || !hello_path || parse_addr(addr_s, &addr) != 0 || rate < 0 || (rate > 0 && rate * TICK_MS / 1000 < 1)
        || rate * TICK_MS / 1000 > CHUNK)
        usage();
    size_t hello_len;
    unsigned char *hello = read_file(hello_path, &hello_len);
    prepare_process();
    if (strcmp(mode, "sink") == 0)
        return run_sink(&addr, hello, hello_len, rate);
    if (strcmp(mode, "drive") == 0) {
        if (conns < 1 || conns > 20000)
            usage();
        return run_drive(&addr, hello, hello_len, conns, rate, seconds);
    }
    usage();
    return 2;
}
