#ifndef STOCKYARD_BUILD_H
#define STOCKYARD_BUILD_H

/// The git commit this binary was built from, as scripts/release.sh passed it in
/// (`STOCKYARD_BUILD_COMMIT`), or an empty string for a development build.
const char *stockyard_build_commit(void);

#endif
