#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns command-line input arguments (files, folders, globs) into a list of files.
public enum InputFiles {
  /// Expands each argument: a file as is; a folder to every regular file below it
  /// (recursively, skipping hidden files and folders, whose names start with `.`); a glob
  /// (an argument containing `*`, `?` or `[`) via glob(3), a matched folder expanded as
  /// above. Paths keep the spelling of the argument (`logs/` gives `logs/a.gz`); the
  /// result is deduplicated and sorted by bytes, so runs are reproducible. Symbolic links to
  /// files are followed; links to folders inside a folder are not, which rules out cycles.
  ///
  /// - Throws: ``PolkuError`` `.noInput` naming the argument when a path does not exist or
  ///   a glob matches nothing; `.io` when a folder cannot be listed.
  public static func resolve(_ arguments: [String]) throws -> [String] {
    var found: [String] = []
    for argument in arguments {
      if argument.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
        for match in try glob(argument) { try expand(match, into: &found, explicit: false) }
      } else {
        try expand(argument, into: &found, explicit: true)
      }
    }
    var seen = Set<[UInt8]>()
    return
      found
      .filter { seen.insert(Array($0.utf8)).inserted }
      .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  /// The size of a file in bytes (stat), for manifests; nil when it cannot be stat'ed.
  public static func size(of path: String) -> Int? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int(info.st_size)
  }

  /// Adds `path` (a file) or the files below it (a folder) to `found`.
  private static func expand(_ path: String, into found: inout [String], explicit: Bool) throws {
    var info = stat()
    guard stat(path, &info) == 0 else {
      let code = errno
      if explicit && (code == ENOENT || code == ENOTDIR) {
        throw PolkuError(.noInput, "no such file or folder: \(path)")
      }
      throw PolkuError(.io, "cannot read \(path): \(String(cString: strerror(code)))")
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      try walk(path, into: &found)
    } else if explicit || (info.st_mode & S_IFMT) == S_IFREG {
      found.append(path)
    }
  }

  /// Adds every regular, non-hidden file below `folder`.
  private static func walk(_ folder: String, into found: inout [String]) throws {
    guard let directory = opendir(folder) else {
      throw PolkuError(.io, "cannot read folder \(folder): \(String(cString: strerror(errno)))")
    }
    defer { closedir(directory) }
    let prefix = folder.hasSuffix("/") ? folder : folder + "/"
    var subfolders: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
        tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee))
        {
          String(cString: $0)
        }
      }
      if name.hasPrefix(".") { continue }
      let path = prefix + name
      var info = stat()
      guard lstat(path, &info) == 0 else { continue }
      switch info.st_mode & S_IFMT {
      case S_IFDIR: subfolders.append(path)
      case S_IFREG: found.append(path)
      case S_IFLNK:
        // A link to a file is read; a broken link is kept too, so reading it fails the
        // run with a message naming it instead of dropping its data without a word.
        if stat(path, &info) != 0 || (info.st_mode & S_IFMT) == S_IFREG { found.append(path) }
      default: break
      }
    }
    for subfolder in subfolders { try walk(subfolder, into: &found) }
  }

  /// The paths `pattern` matches, in glob(3)'s order; throws when there are none.
  private static func glob(_ pattern: String) throws -> [String] {
    var result = glob_t()
    defer { globfree(&result) }
    let status = systemGlob(pattern, 0, nil, &result)
    guard status == 0 else {
      if status == GLOB_NOMATCH {
        throw PolkuError(.noInput, "no file matches \(pattern)")
      }
      throw PolkuError(.io, "cannot expand \(pattern): glob error \(status)")
    }
    return (0..<Int(result.gl_pathc)).compactMap { index in
      result.gl_pathv[index].map { String(cString: $0) }
    }
  }
}

#if canImport(Glibc)
  private let systemGlob = Glibc.glob
#else
  private let systemGlob = Darwin.glob
#endif
