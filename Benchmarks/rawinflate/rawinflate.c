/* rawinflate: the speed floor for polku's line reader.
 *
 *   rawinflate -t THREADS FILE...
 *
 * Inflates every file (all gzip members of it; plain files are only counted) with THREADS
 * pthreads that take files from a shared atomic index, discards the output, counts bytes
 * and newlines, and prints one JSON line:
 *   {"threads":N,"files":F,"compressed_bytes":C,"inflated_bytes":I,"lines":L,"seconds":S}
 * Damaged files are reported on stderr and make the exit status 1. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (256 * 1024)

static char **files;
static int file_count;
static atomic_int next_file;
static atomic_llong total_in, total_out, total_lines;
static atomic_int failures;

static long long count_newlines(const unsigned char *p, size_t n) {
  long long lines = 0;
  const unsigned char *end = p + n;
  while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
    lines++;
    p++;
  }
  return lines;
}

static void fail(const char *path, const char *why) {
  fprintf(stderr, "rawinflate: %s: %s\n", path, why);
  atomic_fetch_add(&failures, 1);
}

static void inflate_file(const char *path, unsigned char *in, unsigned char *out) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) { fail(path, strerror(errno)); return; }
  long long in_bytes = 0, out_bytes = 0, lines = 0;
  z_stream s;
  memset(&s, 0, sizeof s);
  if (inflateInit2(&s, 15 + 32) != Z_OK) { fail(path, "inflateInit2"); close(fd); return; }
  int status = Z_OK, gzip = -1, done = 0;
  while (!done) {
    ssize_t n = read(fd, in, CHUNK);
    if (n < 0) { fail(path, strerror(errno)); break; }
    if (n == 0) {
      if (gzip == 1 && status != Z_STREAM_END) fail(path, "truncated gzip member");
      break;
    }
    in_bytes += n;
    if (gzip < 0) gzip = n >= 2 && in[0] == 0x1f && in[1] == 0x8b;
    if (!gzip) { out_bytes += n; lines += count_newlines(in, (size_t)n); continue; }
    s.next_in = in;
    s.avail_in = (uInt)n;
    for (;;) {
      if (status == Z_STREAM_END) {
        if (s.avail_in == 0) break;  /* the next member starts in the next chunk, or EOF */
        inflateReset(&s);            /* another member follows (cat a.gz b.gz, pigz) */
      }
      s.next_out = out;
      s.avail_out = CHUNK;
      status = inflate(&s, Z_NO_FLUSH);
      size_t produced = CHUNK - s.avail_out;
      out_bytes += (long long)produced;
      lines += count_newlines(out, produced);
      if (status == Z_BUF_ERROR) { status = Z_OK; break; }
      if (status != Z_OK && status != Z_STREAM_END) {
        fail(path, s.msg ? s.msg : "inflate error");
        done = 1;
        break;
      }
      if (status == Z_OK && s.avail_in == 0 && s.avail_out > 0) break;  /* needs input */
    }
  }
  inflateEnd(&s);
  close(fd);
  atomic_fetch_add(&total_in, in_bytes);
  atomic_fetch_add(&total_out, out_bytes);
  atomic_fetch_add(&total_lines, lines);
}

static void *worker(void *unused) {
  (void)unused;
  unsigned char *in = malloc(CHUNK), *out = malloc(CHUNK);
  if (!in || !out) { fail("-", "out of memory"); return NULL; }
  int index;
  while ((index = atomic_fetch_add(&next_file, 1)) < file_count) inflate_file(files[index], in, out);
  free(in);
  free(out);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = 1, opt;
  while ((opt = getopt(argc, argv, "t:")) != -1) {
    if (opt == 't') threads = atoi(optarg);
    else { fprintf(stderr, "usage: rawinflate -t THREADS FILE...\n"); return 64; }
  }
  if (threads < 1 || optind >= argc) {
    fprintf(stderr, "usage: rawinflate -t THREADS FILE...\n");
    return 64;
  }
  files = argv + optind;
  file_count = argc - optind;
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  pthread_t *ids = calloc((size_t)threads, sizeof *ids);
  if (!ids) return 71;
  for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, worker, NULL);
  for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &end);
  double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
  printf("{\"threads\":%d,\"files\":%d,\"compressed_bytes\":%lld,\"inflated_bytes\":%lld,"
         "\"lines\":%lld,\"seconds\":%.6f}\n",
         threads, file_count, (long long)total_in, (long long)total_out, (long long)total_lines,
         seconds);
  free(ids);
  return atomic_load(&failures) ? 1 : 0;
}
