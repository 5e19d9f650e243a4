using Interlude.Cuda.Interop;
using Interlude.Cuda.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cuda.Tests;

public sealed class LibraryLocatorTests
{
    [Fact]
    public void The_system_loader_is_asked_first_by_each_name_in_order()
    {
        var machine = new FakeMachine().LoaderKnows("libnvrtc.so.12").Folder("/usr/local/cuda/lib64", "libnvrtc.so.13");

        LocatedLibrary found = new LibraryLocator(machine).Locate(LibrarySpec.Nvrtc);

        Assert.Equal("libnvrtc.so.12", found.Source);
        Assert.Equal(["libnvrtc.so.13", "libnvrtc.so.12"], machine.Loads);
    }

    [Fact]
    public void The_override_variable_wins_and_nothing_else_is_tried()
    {
        var machine = new FakeMachine()
            .Env("INTERLUDE_NVRTC", "/opt/nvrtc")
            .Folder("/opt/nvrtc", "libnvrtc.so.12", "libnvrtc.so.12.4.99", "libnvrtc-builtins.so.12")
            .LoaderKnows("libnvrtc.so.12");

        LocatedLibrary found = new LibraryLocator(machine).Locate(LibrarySpec.Nvrtc);

        Assert.Equal("/opt/nvrtc/libnvrtc.so.12.4.99", found.Source);
        Assert.Equal(["/opt/nvrtc/libnvrtc.so.12.4.99"], machine.Loads);
    }

    [Fact]
    public void An_override_that_names_a_file_loads_that_file()
    {
        var machine = new FakeMachine().Env("INTERLUDE_CUDA_DRIVER", "/drivers/libcuda.so.1").Folder("/drivers", "libcuda.so.1");

        Assert.Equal("/drivers/libcuda.so.1", new LibraryLocator(machine).Locate(LibrarySpec.Driver).Source);
    }

    [Fact]
    public void An_override_that_leads_nowhere_fails_naming_the_variable_and_the_path()
    {
        var machine = new FakeMachine().Env("INTERLUDE_CUBLAS", "/nowhere").LoaderKnows("libcublas.so.12");

        var error = Assert.Throws<CudaLibraryNotFoundException>(() => new LibraryLocator(machine).Locate(LibrarySpec.Cublas));

        Assert.Equal("cuBLAS", error.Library);
        Assert.Contains("/nowhere (no such folder)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Set INTERLUDE_CUBLAS", error.Message, StringComparison.Ordinal);
        Assert.Empty(machine.Loads);
    }

    [Fact]
    public void Toolkit_folders_come_after_the_loader_with_CUDA_HOME_before_the_usual_places()
    {
        var machine = new FakeMachine()
            .Env("CUDA_HOME", "/opt/cuda-12.6")
            .Folder("/opt/cuda-12.6/lib64", "libnvrtc.so.12")
            .Folder("/usr/local/cuda/lib64", "libnvrtc.so.13");

        LocatedLibrary found = new LibraryLocator(machine).Locate(LibrarySpec.Nvrtc);

        Assert.Equal("/opt/cuda-12.6/lib64/libnvrtc.so.12", found.Source);
        Assert.Equal(
            ["/opt/cuda-12.6/lib64", "/opt/cuda-12.6/targets/x86_64-linux/lib", "/usr/local/cuda/lib64"],
            new LibraryLocator(machine).ToolkitFolders(LibrarySpec.Nvrtc).Take(3));
    }

    [Fact]
    public void The_pip_wheels_folders_are_searched_last_and_cublasLt_is_loaded_before_cublas()
    {
        var machine = new FakeMachine().Folder("/venv/lib/python3.12/site-packages/nvidia/cublas/lib", "libcublas.so.12", "libcublasLt.so.12", "libnvblas.so.12");
        machine.SitePackages.Add("/venv/lib/python3.12/site-packages");

        LocatedLibrary found = new LibraryLocator(machine).Locate(LibrarySpec.Cublas);

        Assert.Equal("/venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.12", found.Source);
        int lt = machine.Loads.IndexOf("/venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcublasLt.so.12");
        Assert.InRange(lt, 0, machine.Loads.Count - 2);
        Assert.Equal(found.Source, machine.Loads[^1]);
        Assert.True(machine.Loads.IndexOf("libcublas.so.12") < lt, "the loader's names come before the wheels");
    }

    [Fact]
    public void A_file_that_does_not_load_is_passed_over_for_the_next_candidate()
    {
        var machine = new FakeMachine().Folder("/usr/local/cuda/lib64", "libnvrtc.so.13", "libnvrtc.so.12").Broken("/usr/local/cuda/lib64/libnvrtc.so.13");

        Assert.Equal("/usr/local/cuda/lib64/libnvrtc.so.12", new LibraryLocator(machine).Locate(LibrarySpec.Nvrtc).Source);
    }

    [Fact]
    public void Missing_everywhere_the_message_names_the_library_and_every_place_looked_in()
    {
        var machine = new FakeMachine().Folder("/usr/lib/x86_64-linux-gnu", "libc.so.6");
        machine.SitePackages.Add("/usr/lib/python3/dist-packages");

        var error = Assert.Throws<CudaLibraryNotFoundException>(() => new LibraryLocator(machine).Locate(LibrarySpec.Nvrtc));

        Assert.StartsWith("NVRTC (the CUDA run-time compiler) was not found.", error.Message, StringComparison.Ordinal);
        Assert.Contains("INTERLUDE_NVRTC (not set)", error.Tried);
        Assert.Contains("libnvrtc.so.12 (system loader)", error.Tried);
        Assert.Contains("/usr/local/cuda/lib64 (no such folder)", error.Tried);
        Assert.Contains("/usr/lib/x86_64-linux-gnu (no libnvrtc.so*)", error.Tried);
        Assert.Contains("/usr/lib/python3/dist-packages/nvidia/cuda_nvrtc/lib (no such folder)", error.Tried);
        Assert.Contains("Set INTERLUDE_NVRTC to the library file or its folder.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidates_in_a_folder_are_ranked_newest_version_first_and_other_libraries_are_ignored()
    {
        string[] files = ["libnvrtc.so", "libnvrtc.so.12", "libnvrtc.so.12.4.127", "libnvrtc.so.11.2", "libnvrtc-builtins.so.12.4", "libnvrtc.so.12.10.1"];

        Assert.Equal(
            ["libnvrtc.so.12.10.1", "libnvrtc.so.12.4.127", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"],
            LibraryLocator.Rank(files, "libnvrtc.so"));
    }

    [Fact]
    public void The_driver_is_looked_for_only_where_a_driver_install_puts_it()
    {
        Assert.Equal(["libcuda.so.1"], LibrarySpec.Driver.LoaderNames);
        Assert.Empty(LibrarySpec.Driver.WheelFolders);
    }
}
