/// The text of one page view as clients report it: a noisy path, a referrer and a
/// campaign source, rendered once and shared by the Segment and access-log writers.
///
/// Noise polku must normalise: query strings (`?utm_source=google`, `?ref=nav`), upper
/// case (`/Pricing`, `/PRICING`), trailing slashes (`/pricing/`).
final class PageText {
  let path = ByteBuffer(capacity: 256)
  let referrer = ByteBuffer(capacity: 256)
  /// Index into ``SiteText/sources``, or -1 when the view has no campaign.
  var source = -1
  private let canonical = ByteBuffer(capacity: 256)
  private let previous = ByteBuffer(capacity: 256)

  /// Renders a page view; `entry` views get an external referrer and often a campaign.
  func render(_ page: Page, item: Int, entry: Bool, rng: inout SplitMix64) {
    previous.removeAll()
    previous.append(canonical.bytes)
    canonical.removeAll()
    canonical.append(page.path)
    if page == .blog {
      canonical.append(SiteText.blogSlugs[item])
    } else if page == .product {
      canonical.append(decimal: Int64(item))
    }
    path.removeAll()
    path.append(canonical.bytes)
    let style = rng.below(100)
    if style < 4 {
      for index in 1..<path.count where path.base[index] >= 97 && path.base[index] <= 122 {
        path.base[index] -= 32
      }
    } else if style < 8 && path.count > 1 {
      path.base[1] = path.base[1] >= 97 && path.base[1] <= 122 ? path.base[1] - 32 : path.base[1]
    } else if style < 12 && path.count > 1 {
      path.append(UInt8(ascii: "/"))
    }
    source = -1
    if entry && rng.chance(0.35) {
      source = rng.below(SiteText.sources.count)
      path.append("?utm_source=")
      path.append(SiteText.sources[source])
      if rng.chance(0.3) { path.append("&utm_medium=cpc") }
    } else if rng.chance(0.03) {
      path.append("?ref=nav")
    }
    referrer.removeAll()
    if entry {
      referrer.append(SiteText.referrers[rng.below(SiteText.referrers.count)])
    } else {
      referrer.append(SiteText.siteOrigin)
      referrer.append(previous.count > 0 ? previous.bytes : canonical.bytes)
    }
  }
}
