/*
 * Helpers shared by the C load programs in benchmarks/peers (streams_load.c, churn_load.c): the clock, fatal errors,
 * the ClientHello file, IPv4 ADDR:PORT parsing and the descriptor limit. Header-only: each program is one gcc call.
 */
#ifndef MESHGW_LOAD_COMMON_H
#define MESHGW_LOAD_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

extern char *program_invocation_short_name;

/* CLOCK_MONOTONIC in seconds */
static inline double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* prints "program: what: strerror(errno)" and exits 1 */
static inline void die(const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what, strerror(errno));
    exit(1);
}

/* the whole file (a captured ClientHello: 1 B to 64 KiB), or exits */
static inline unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(path);
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size <= 0 || st.st_size > 65536)
        die("hello file size");
    unsigned char *b = malloc((size_t)st.st_size);
    if (!b || fread(b, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        die("hello read");
    fclose(f);
    *len = (size_t)st.st_size;
    return b;
}

/* "A.B.C.D:PORT" (port 1-65535) into *a; 0, or -1 when malformed */
static inline int parse_ipv4(const char *s, struct sockaddr_in *a)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || colon - s >= (long)sizeof host)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end != 0 || port < 1 || port > 65535)
        return -1;
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

/* set by SIGTERM or SIGINT: the programs stop their loop and print their counters */
static volatile sig_atomic_t g_stop;
static void on_stop_signal(int s) { (void)s; g_stop = 1; }

/* SIGTERM and SIGINT set g_stop, a closed peer is an error return rather than SIGPIPE, and the soft descriptor
 * limit goes up to the hard one */
static inline void prepare_process(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

#endif
