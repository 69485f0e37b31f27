#include "FuzzerEntry.h"

// SwiftPM renames an executable target's entry point to `<Target>_main` and links `main` to
// it (so tests can link executables). The fuzz target has no Swift entry point of its own, so
// this supplies one that hands control to libFuzzer's driver, which then calls
// LLVMFuzzerTestOneInput (defined in Swift) with each input.
int StockyardFuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
