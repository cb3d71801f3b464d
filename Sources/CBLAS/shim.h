// Debian: libopenblas-dev provides cblas.h (OpenBLAS), liblapacke-dev provides lapacke.h.
#include <cblas.h>
#include <lapacke.h>
