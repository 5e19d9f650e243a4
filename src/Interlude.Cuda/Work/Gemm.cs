using Interlude.Cuda.Interop;

namespace Interlude.Cuda.Work;

/// <summary>Row-major SGEMM on cuBLAS's column-major API, and its CPU reference.</summary>
internal static unsafe class Gemm
{
    /// <summary>
    /// The arguments cublasSgemm_v2 gets for row-major C (m × n) = A (m × k) × B (k × n): a row-major matrix is its
    /// transpose in column-major, and Cᵀ = Bᵀ × Aᵀ, so cuBLAS computes an n × m result from B (leading dimension n)
    /// and A (leading dimension k) into C (leading dimension n), no transposes.
    /// </summary>
    internal static (int M, int N, int K, int Lda, int Ldb, int Ldc) ColumnMajorArguments(int m, int n, int k) => (n, m, k, n, k, n);

    internal static void Enqueue(nint blas, DeviceBuffer<float> a, DeviceBuffer<float> b, DeviceBuffer<float> c, int m, int n, int k)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
        {
            throw new ArgumentException($"Buffers too small for A {m}x{k}, B {k}x{n}, C {m}x{n}.");
        }

        (int cm, int cn, int ck, int lda, int ldb, int ldc) = ColumnMajorArguments(m, n, k);
        float alpha = 1f;
        float beta = 0f;

        // The first operand cuBLAS sees is B, the second A.
        CudaErrors.CheckCublas(
            Cublas.cublasSgemm_v2(blas, Cublas.OperationNone, Cublas.OperationNone, cm, cn, ck, &alpha, b.Pointer, lda, a.Pointer, ldb, &beta, c.Pointer, ldc),
            "cublasSgemm_v2");
    }

    /// <summary>The CPU reference, in double: C = A × B, row-major.</summary>
    internal static double[] Reference(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k)
    {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                double av = a[i * k + p];
                for (int j = 0; j < n; j++)
                {
                    c[i * n + j] += av * b[p * n + j];
                }
            }
        }

        return c;
    }

    /// <summary>
    /// The tolerance of each element: the classic bound on a float dot product of length k, 2·k·u·Σ|a||b| with
    /// u = 2⁻²⁴, which holds whatever order the GPU sums in.
    /// </summary>
    internal static double[] Tolerance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k)
    {
        double u = Math.Pow(2, -24);
        double[] t = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                double av = Math.Abs(a[i * k + p]);
                for (int j = 0; j < n; j++)
                {
                    t[i * n + j] += av * Math.Abs(b[p * n + j]);
                }
            }
        }

        for (int i = 0; i < t.Length; i++)
        {
            t[i] = (2 * k * u * t[i]) + 1e-30;
        }

        return t;
    }
}
