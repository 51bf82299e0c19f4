/// `report.html`: one self-contained page built from ``ReportData``.
///
/// No network: no external font, script, style or image, and a Content-Security-Policy
/// (`default-src 'none'`) that lets the page load nothing and run no script; its one style
/// sheet is allowed by its SHA-256 hash. Hover details are SVG `<title>`s and CSS, so the
/// page needs no script. The figures of the pictures are also in a JSON data block
/// (`<script type="application/json" id="polku-data">`, never executed) for checking.
/// The same data gives the same bytes: nothing here reads a clock or the environment.
public enum ReportPage {
  /// The page's bytes.
  public static func build(_ data: ReportData) -> [UInt8] {
    let sections = ReportSections(data)
    let body = sections.all()
    let style = stylesheet + sections.sankey.highlightCSS
    let styleHash = cspHash(style)
    let title = "polku report: " + data.summary.pipeline
    let page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      + "style-src '\(styleHash)'; img-src 'none'; script-src 'none'; base-uri 'none'; "
      + "form-action 'none'\">\n"
      + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      + "<meta name=\"color-scheme\" content=\"light dark\">\n"
      + "<meta name=\"referrer\" content=\"no-referrer\">\n"
      + "<title>" + HTMLEscape.text(title) + "</title>\n"
      + "<style>" + style + "</style>\n</head>\n<body>\n" + body
      + "<script type=\"application/json\" id=\"polku-data\">" + sections.json()
      + "</script>\n</body>\n</html>\n"
    return Array(page.utf8)
  }

  /// `'sha256-…'` of `text`, as CSP source expressions spell a hash.
  static func cspHash(_ text: String) -> String {
    var hasher = SHA256()
    hasher.update(Array(text.utf8))
    let digest = hasher.finalize()
    var encoded: [UInt8] = []
    digest.withUnsafeBufferPointer { Base64.append($0, to: &encoded) }
    return "sha256-" + String(decoding: encoded, as: UTF8.self)
  }

  /// The style sheet: light and dark colours, print rules.
  static let stylesheet = """
    :root{--bg:#fff;--fg:#1d2330;--muted:#5c6577;--line:#d9dde5;--card:#f5f7fa;\
    --c0:#2f6fde;--c1:#e0782d;--c2:#2a9d6f;--c3:#b8428c;--c4:#7c5cc4;--c5:#c9a227;\
    --c6:#3aa3b8;--c7:#a35a3a;--cs:#9aa3b2;--bad:#c23b3b}
    @media (prefers-color-scheme:dark){:root{--bg:#14171d;--fg:#e4e8ef;--muted:#9aa3b2;\
    --line:#323845;--card:#1d2129;--c0:#6b9cf0;--c1:#f0a060;--c2:#5cc89a;--c3:#e07bbd;\
    --c4:#a58cf0;--c5:#e8c75a;--c6:#6fd0e0;--c7:#d08a6a;--cs:#6c7585;--bad:#f07070}}
    *{box-sizing:border-box}
    body{margin:0 auto;max-width:1040px;padding:24px;background:var(--bg);color:var(--fg);\
    font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
    h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;\
    border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
    p{margin:6px 0}.muted{color:var(--muted);fill:var(--muted)}
    .source{font-size:12px;color:var(--muted)}
    .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;\
    margin:12px 0}
    .card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 10px}
    .card b{display:block;font-size:18px}.card span{font-size:12px;color:var(--muted)}
    table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}
    th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);\
    vertical-align:top;overflow-wrap:anywhere;min-width:6em}
    th{font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;\
    white-space:nowrap;min-width:0}
    code,.v{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;\
    unicode-bidi:isolate}
    svg{width:100%;height:auto;display:block;margin:8px 0}
    svg text{font-size:12px;fill:var(--fg)}svg .muted{fill:var(--muted)}
    .band{opacity:.45}.band:hover{opacity:.8}
    .c0{fill:var(--c0)}.c1{fill:var(--c1)}.c2{fill:var(--c2)}.c3{fill:var(--c3)}\
    .c4{fill:var(--c4)}.c5{fill:var(--c5)}.c6{fill:var(--c6)}.c7{fill:var(--c7)}\
    .cs{fill:var(--cs)}.bad{fill:var(--bad);color:var(--bad)}
    .key{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 10px}
    .key.c0{background:var(--c0)}.key.c1{background:var(--c1)}.key.c2{background:var(--c2)}\
    .key.c3{background:var(--c3)}.key.c4{background:var(--c4)}.key.c5{background:var(--c5)}\
    .key.c6{background:var(--c6)}.key.c7{background:var(--c7)}.key.cs{background:var(--cs)}
    .note{background:var(--card);border-left:3px solid var(--line);padding:6px 10px}
    @media print{:root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--card:#fff}\
    body{max-width:none;padding:0;font-size:11px;background:#fff;color:#000}\
    h2{break-after:avoid}section,svg,table{break-inside:avoid}.card{border-color:#999}\
    .band{opacity:.5}}

    """
}
