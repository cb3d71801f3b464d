import CBLAS

/// Thin row-major wrappers over OpenBLAS, the only place in MicroLM that talks to CBLAS directly.
public enum BLAS {
    /// Sets OpenBLAS's thread count. Results are bit-for-bit reproducible only for a fixed count, because OpenBLAS
    /// splits a product's inner sums differently across threads; MicroLM records the count it ran with.
    public static func setThreads(_ count: Int) { openblas_set_num_threads(Int32(max(1, count))) }

    /// The thread count OpenBLAS uses now.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// One thread, for every step that trains or scores with a model: OpenBLAS sums in an order that depends on its
    /// thread count, so the same data and seed then give the same weights, byte for byte, whatever the machine's core
    /// count (the kernels OpenBLAS picks for the processor still matter). Parallelism comes from running independent
    /// jobs side by side instead.
    public static func pinForReproducibility() { setThreads(1) }

    /// C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C, every matrix row-major with the given leading dimension.
    @inline(__always)
    public static func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
                     _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
                     _ b: UnsafePointer<Float>, _ ldb: Int,
                     _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
