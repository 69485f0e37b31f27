#include "StockyardBuild.h"

// A C target because a Swift compilation condition cannot carry a string: the commit arrives as a
// macro whose value is a bare token (hex digits, maybe `-modified`), turned into a string here.
#define STOCKYARD_STRING_(token) #token
#define STOCKYARD_STRING(token) STOCKYARD_STRING_(token)

const char *stockyard_build_commit(void) {
#ifdef STOCKYARD_BUILD_COMMIT
    return STOCKYARD_STRING(STOCKYARD_BUILD_COMMIT);
#else
    return "";
#endif
}
