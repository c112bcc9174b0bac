<?xml version="1.0" encoding="utf-8"?>
<!-- feedwright: shows a sitemap, a sitemap index or a Google News sitemap as
     a page in a browser. Self-contained: no scripts, no remote fonts or images. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:s="http://www.sitemaps.org/schemas/sitemap/0.9"
  xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
  xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
  exclude-result-prefixes="s news image">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <html>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:choose><xsl:when test="s:sitemapindex">Sitemap index</xsl:when><xsl:otherwise>Sitemap</xsl:otherwise></xsl:choose></title>
        <style>
          body { font: 1rem/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; background: #fff; }
          .about { background: #f2f5f9; border-radius: .5rem; padding: .75rem 1rem; font-size: .9rem; }
          table { border-collapse: collapse; width: 100%; }
          th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
          td.url { word-break: break-all; }
          td.when { white-space: nowrap; color: #666; }
          a { color: #0645ad; }
          @media (prefers-color-scheme: dark) { body { background: #111; color: #eee; } .about { background: #222; } a { color: #8ab4f8; } td.when { color: #aaa; } }
        </style>
      </head>
      <body>
        <xsl:apply-templates select="s:urlset|s:sitemapindex"/>
      </body>
    </html>
  </xsl:template>
  <xsl:template match="s:urlset">
    <h1>Sitemap</h1>
    <p class="about">This is an XML sitemap for search engines. It lists <xsl:value-of select="count(s:url)"/> URLs.</p>
    <table>
      <thead><tr><th>URL</th><xsl:if test="s:url/news:news"><th>Title</th></xsl:if><th>Last modified</th></tr></thead>
      <tbody>
        <xsl:for-each select="s:url">
          <tr>
            <td class="url"><a href="{s:loc}"><xsl:value-of select="s:loc"/></a>
              <xsl:if test="image:image"> (<xsl:value-of select="count(image:image)"/> images)</xsl:if></td>
            <xsl:if test="../s:url/news:news"><td><xsl:value-of select="news:news/news:title"/></td></xsl:if>
            <td class="when"><xsl:value-of select="substring(s:lastmod|news:news/news:publication_date, 1, 10)"/></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>
  <xsl:template match="s:sitemapindex">
    <h1>Sitemap index</h1>
    <p class="about">This is an XML sitemap index for search engines. It lists <xsl:value-of select="count(s:sitemap)"/> sitemaps.</p>
    <table>
      <thead><tr><th>Sitemap</th><th>Last modified</th></tr></thead>
      <tbody>
        <xsl:for-each select="s:sitemap">
          <tr>
            <td class="url"><a href="{s:loc}"><xsl:value-of select="s:loc"/></a></td>
            <td class="when"><xsl:value-of select="substring(s:lastmod, 1, 10)"/></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>
</xsl:stylesheet>
