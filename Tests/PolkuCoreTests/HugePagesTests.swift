import Testing

@testable import PolkuCore

@Suite struct HugePagesTests {
  static let madvise = "always [madvise] never\n"

  @Test func setsTheTunableOnlyInMadviseMode() {
    #expect(
      HugePages.tunables(current: nil, setting: nil, kernelMode: Self.madvise)
        == "glibc.malloc.hugetlb=1")
    // `always` already gives large blocks huge pages, `never` refuses them, and without
    // the sysfs file there is no transparent huge page support to ask for.
    #expect(
      HugePages.tunables(current: nil, setting: nil, kernelMode: "[always] madvise never\n") == nil
    )
    #expect(
      HugePages.tunables(current: nil, setting: nil, kernelMode: "always madvise [never]\n") == nil
    )
    #expect(HugePages.tunables(current: nil, setting: nil, kernelMode: nil) == nil)
  }

  @Test func keepsTheUsersTunablesAndStopsAfterOneReexec() {
    #expect(
      HugePages.tunables(
        current: "glibc.malloc.arena_max=2", setting: nil, kernelMode: Self.madvise)
        == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")
    #expect(
      HugePages.tunables(current: "", setting: nil, kernelMode: Self.madvise)
        == "glibc.malloc.hugetlb=1")
    // Once set (by the re-exec, or by the user, whatever the value), nothing changes.
    #expect(
      HugePages.tunables(
        current: "glibc.malloc.hugetlb=1", setting: nil, kernelMode: Self.madvise) == nil)
    #expect(
      HugePages.tunables(
        current: "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0", setting: nil,
        kernelMode: Self.madvise) == nil)
  }

  @Test func notUnderValgrind() {
    let preload =
      "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so:"
      + "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so"
    #expect(
      HugePages.tunables(current: nil, setting: nil, kernelMode: Self.madvise, preload: preload)
        == nil)
    #expect(
      HugePages.tunables(
        current: nil, setting: nil, kernelMode: Self.madvise, preload: "/usr/lib/libjemalloc.so")
        == "glibc.malloc.hugetlb=1")
  }

  @Test func settingTurnsItOffOrForcesIt() {
    #expect(HugePages.tunables(current: nil, setting: "0", kernelMode: Self.madvise) == nil)
    #expect(
      HugePages.tunables(current: nil, setting: "1", kernelMode: "always madvise [never]\n")
        == "glibc.malloc.hugetlb=1")
    #expect(
      HugePages.tunables(current: nil, setting: "1", kernelMode: nil) == "glibc.malloc.hugetlb=1")
    // Forced or not, a tunable already there still wins and still stops a second re-exec.
    #expect(
      HugePages.tunables(current: "glibc.malloc.hugetlb=1", setting: "1", kernelMode: nil)
        == nil)
    #expect(
      HugePages.tunables(current: nil, setting: "yes", kernelMode: Self.madvise)
        == "glibc.malloc.hugetlb=1")
  }

  @Test func runsAgainByTheBinarysOwnPath() throws {
    // Exec'ing /proc/self/exe itself would rename the process `exe` (ps, top, pgrep).
    #expect(HugePages.executable(link: "/usr/local/bin/polku") == "/usr/local/bin/polku")
    #expect(HugePages.executable(link: "/opt/polku/bin/polku (deleted)") == nil)
    #expect(HugePages.executable(link: "polku") == nil)
    #expect(HugePages.executable(link: nil) == nil)
    #if os(Linux)
      // This test binary's own link: a real file, by its real name.
      let link = try #require(HugePages.selfLink())
      #expect(link.hasPrefix("/") && !link.hasPrefix("/proc/"))
      #expect(HugePages.executable(link: link) == link)
    #endif
  }
}
