/*
 * churn_load: connection churn through an SNI-routing proxy, for benchmarks/peers/run.sh. A load generator that
 * costs less per connection than the proxy it measures, so that the proxy's core, not the load, is what saturates
 * (the .NET load generator could not: the churn cells it drove read proxy utilisation 0.63-0.79).
 *
 *   churn_load answer -l ADDR:PORT -H hello.bin
 *       The backend. Accepts connections; on each reads exactly the ClientHello's length, answers one byte 0x01
 *       (0x02 when the bytes differ from hello.bin), then reads until the peer's FIN and closes. Runs until
 *       SIGTERM, then prints one line: answer: accepted= answered= mismatches=.
 *   churn_load churn -c ADDR:PORT -H hello.bin [-p PARALLEL=8] [-t SECONDS=4]
 *       The client. Keeps PARALLEL connections in flight, each: non-blocking connect, the ClientHello, wait for the
 *       1-byte answer, close (the client closes first, as a TLS client that got what it came for). A connection
 *       counts when its answer was 0x01; one that fails, answers anything else or takes over 5 s counts as failed.
 *       Prints one line: mode=churn connections= failed= seconds= per_second= p50_us= p99_us= ok= (the latency is
 *       from the connect to the answer: the time to first backend byte).
 *
 * One thread each, epoll, level-triggered. IPv4. Built by run.sh with gcc -O2.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
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

#define MAX_FD 65536
#define MAX_PARALLEL 4096
#define STUCK_S 5.0


/* ---------- answer (the backend) ---------- */

struct aconn {
    size_t got;          /* hello bytes read so far */
    int answered;
    int mismatch;
};

static int run_answer(const struct sockaddr_in *addr, const unsigned char *hello, size_t hello_len)
{
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ls < 0 || bind(ls, (const struct sockaddr *)addr, sizeof *addr) != 0 || listen(ls, 4096) != 0)
        die("answer listen");
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = ls };
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev) != 0)
        die("epoll");
    /* per-descriptor state, indexed by the descriptor: reused as descriptors are, so churn never grows it */
    struct aconn *conns = calloc(MAX_FD, sizeof *conns);
    unsigned char *scratch = malloc(65536);
    if (!conns || !scratch)
        die("memory");
    uint64_t accepted = 0, answered = 0, mismatches = 0;
    struct epoll_event evs[256];
    while (!g_stop) {
        int k = epoll_wait(ep, evs, 256, 200);
        if (k < 0 && errno != EINTR)
            die("epoll_wait");
        for (int i = 0; i < k; i++) {
            int fd = evs[i].data.fd;
            if (fd == ls) {
                for (;;) {
                    int c = accept4(ls, NULL, NULL, SOCK_NONBLOCK);
                    if (c < 0)
                        break;
                    if (c >= MAX_FD) {
                        close(c);
                        continue;
                    }
                    accepted++;
                    memset(&conns[c], 0, sizeof conns[c]);
                    struct epoll_event e = { .events = EPOLLIN, .data.fd = c };
                    if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &e) != 0)
                        close(c);
                }
                continue;
            }
            struct aconn *a = &conns[fd];
            for (;;) {
                size_t want = a->got < hello_len ? hello_len - a->got : 65536;
                ssize_t r = recv(fd, scratch, want, 0);
                if (r < 0 && (errno == EAGAIN || errno == EINTR))
                    break;
                if (r <= 0) {
                    close(fd); /* the FIN (or an error): done; close takes it out of the epoll set */
                    break;
                }
                if (a->got < hello_len) {
                    if (memcmp(scratch, hello + a->got, (size_t)r) != 0)
                        a->mismatch = 1;
                    a->got += (size_t)r;
                    if (a->got == hello_len && !a->answered) {
                        unsigned char b = a->mismatch ? 2 : 1;
                        mismatches += (uint64_t)a->mismatch;
                        a->answered = 1;
                        if (send(fd, &b, 1, MSG_NOSIGNAL) == 1)
                            answered++;
                    }
                }
                if ((size_t)r < want)
                    break;
            }
        }
    }
    printf("answer: accepted=%llu answered=%llu mismatches=%llu\n", (unsigned long long)accepted,
           (unsigned long long)answered, (unsigned long long)mismatches);
    return 0;
}

/* ---------- churn (the client) ---------- */

struct cslot {
    int fd;              /* -1 when idle */
    size_t sent;         /* hello bytes sent */
    double started;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* opens the slot's next connection; 0, or -1 when the socket or the connect failed at once */
static int churn_open(int ep, int slot, struct cslot *s, const struct sockaddr_in *addr)
{
    s->fd = -1;
    s->sent = 0;
    s->started = now_s();
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    struct epoll_event e = { .events = EPOLLOUT, .data.u32 = (uint32_t)slot };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) != 0) {
        close(fd);
        return -1;
    }
    s->fd = fd;
    return 0;
}

static int run_churn(const struct sockaddr_in *addr, const unsigned char *hello, size_t hello_len, int parallel,
                     double seconds)
{
    int ep = epoll_create1(0);
    if (ep < 0)
        die("epoll");
    struct cslot *slots = calloc((size_t)parallel, sizeof *slots);
    size_t cap = 1 << 20, n = 0;
    double *lat = malloc(cap * sizeof *lat);
    if (!slots || !lat)
        die("memory");
    uint64_t failed = 0;
    double t0 = now_s(), end = t0 + seconds;
    for (int i = 0; i < parallel; i++)
        if (churn_open(ep, i, &slots[i], addr) != 0)
            failed++;
    struct epoll_event evs[256];
    int open = parallel;
    while (!g_stop && open > 0) {
        double now = now_s();
        int k = epoll_wait(ep, evs, 256, 100);
        if (k < 0 && errno != EINTR)
            die("epoll_wait");
        now = now_s();
        for (int i = 0; i < k; i++) {
            int slot = (int)evs[i].data.u32;
            struct cslot *s = &slots[slot];
            if (s->fd < 0)
                continue;
            int done = 0, ok = 0;
            if (s->sent < hello_len) {
                ssize_t w = send(s->fd, hello + s->sent, hello_len - s->sent, MSG_NOSIGNAL);
                if (w > 0) {
                    s->sent += (size_t)w;
                    if (s->sent == hello_len) {
                        struct epoll_event e = { .events = EPOLLIN, .data.u32 = (uint32_t)slot };
                        if (epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &e) != 0)
                            done = 1;
                    }
                } else if (!(w < 0 && (errno == EAGAIN || errno == EINTR))) {
                    done = 1; /* the connect failed (refused, reset) or the proxy closed */
                }
            } else {
                unsigned char b;
                ssize_t r = recv(s->fd, &b, 1, 0);
                if (r < 0 && (errno == EAGAIN || errno == EINTR))
                    continue;
                done = 1;
                ok = r == 1 && b == 1;
            }
            if (!done)
                continue;
            close(s->fd);
            s->fd = -1;
            if (ok) {
                if (n == cap) {
                    cap *= 2;
                    lat = realloc(lat, cap * sizeof *lat);
                    if (!lat)
                        die("memory");
                }
                lat[n++] = now - s->started;
            } else {
                failed++;
            }
            if (now < end && churn_open(ep, slot, s, addr) == 0)
                continue;
            if (now < end)
                failed++;
            open--;
        }
        /* a connection with no answer after STUCK_S counts as failed; its slot goes on (or ends after the window) */
        for (int i = 0; i < parallel; i++) {
            struct cslot *s = &slots[i];
            if (s->fd < 0 || now - s->started < STUCK_S)
                continue;
            close(s->fd);
            s->fd = -1;
            failed++;
            if (now < end && churn_open(ep, i, s, addr) == 0)
                continue;
            open--;
        }
    }
    double secs = now_s() - t0;
    double p50 = 0, p99 = 0;
    if (n > 0) {
        qsort(lat, n, sizeof *lat, cmp_double);
        p50 = lat[(size_t)((double)(n - 1) * 0.50)] * 1e6;
        p99 = lat[(size_t)((double)(n - 1) * 0.99)] * 1e6;
    }
    printf("mode=churn connections=%zu failed=%llu seconds=%.3f per_second=%.1f p50_us=%.0f p99_us=%.0f ok=%d\n", n,
           (unsigned long long)failed, secs, secs > 0 ? (double)n / secs : 0.0, p50, p99, failed == 0 && n > 0);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage:\n"
                    "  churn_load answer -l ADDR:PORT -H hello.bin\n"
                    "  churn_load churn  -c ADDR:PORT -H hello.bin [-p PARALLEL=8] [-t SECONDS=4]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2)
        usage();
    const char *mode = argv[1], *addr_s = NULL, *hello_path = NULL;
    int parallel = 8;
    double seconds = 4;
    int opt;
    optind = 2;
    while ((opt = getopt(argc, argv, "l:c:H:p:t:")) != -1) {
        switch (opt) {
        case 'l':
        case 'c': addr_s = optarg; break;
        case 'H': hello_path = optarg; break;
        case 'p': parallel = atoi(optarg); break;
        case 't': seconds = strtod(optarg, NULL); break;
        default: usage();
        }
    }
    struct sockaddr_in addr;
    if (!addr_s || !hello_path || parse_ipv4(addr_s, &addr) != 0 || parallel < 1 || parallel > MAX_PARALLEL
        || !(seconds > 0 && seconds <= 3600))
        usage();
    size_t hello_len;
    unsigned char *hello = read_file(hello_path, &hello_len);
    prepare_process();
    if (strcmp(mode, "answer") == 0)
        return run_answer(&addr, hello, hello_len);
    if (strcmp(mode, "churn") == 0)
        return run_churn(&addr, hello, hello_len, parallel, seconds);
    usage();
    return 2;
}
