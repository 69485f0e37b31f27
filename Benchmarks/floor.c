/*
 * The floor: the least work any tool that reads a Stockyard config must do. It reads the file
 * into memory and parses it with libyaml's event API (the same library and the same API
 * Stockyard's YAML layer uses), and does nothing else: no tree, no types, no checks, no output
 * but the event count. Benchmarks/run.sh times it interleaved with Stockyard on the same file
 * and reports Stockyard's time as a multiple of this one.
 *
 *   cc -O2 -o floor Benchmarks/floor.c $(pkg-config --cflags --libs yaml-0.1)
 *   ./floor stockyard.yaml        # prints "N events" on stderr; exit 0, or 1 on a YAML error
 */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.yaml\n", argv[0]);
        return 64;
    }
    FILE *file = fopen(argv[1], "rb");
    if (!file) {
        perror(argv[1]);
        return 1;
    }
    /* Whole file in memory first, as Stockyard reads it. */
    if (fseek(file, 0, SEEK_END) != 0) { perror(argv[1]); return 1; }
    long size = ftell(file);
    rewind(file);
    unsigned char *bytes = malloc(size > 0 ? (size_t)size : 1);
    if (!bytes || fread(bytes, 1, (size_t)size, file) != (size_t)size) {
        fprintf(stderr, "%s: cannot read\n", argv[1]);
        return 1;
    }
    fclose(file);

    yaml_parser_t parser;
    yaml_event_t event;
    if (!yaml_parser_initialize(&parser)) {
        fprintf(stderr, "cannot initialise libyaml\n");
        return 1;
    }
    yaml_parser_set_input_string(&parser, bytes, (size_t)size);
    long events = 0;
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "%s:%zu:%zu: %s\n", argv[1], parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                    parser.problem ? parser.problem : "YAML error");
            yaml_parser_delete(&parser);
            return 1;
        }
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        events++;
        if (done) break;
    }
    yaml_parser_delete(&parser);
    free(bytes);
    fprintf(stderr, "%ld events\n", events);
    return 0;
}
