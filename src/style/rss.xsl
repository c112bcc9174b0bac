<?xml version="1.0" encoding="utf-8"?>
<!-- feedwright: shows an RSS 2.0 feed as a page in a browser. Self-contained:
     no scripts, no remote fonts or images. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/rss/channel">
    <html>
      <xsl:if test="language"><xsl:attribute name="lang"><xsl:value-of select="language"/></xsl:attribute></xsl:if>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="title"/> (feed)</title>
        <style>
          body { font: 1rem/1.6 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; background: #fff; }
          .about { background: #f2f5f9; border-radius: .5rem; padding: .75rem 1rem; font-size: .9rem; }
          .about code { word-break: break-all; }
          h1 { margin-bottom: .25rem; }
          article { border-top: 1px solid #ddd; padding: 1rem 0; }
          article h2 { font-size: 1.2rem; margin: 0; }
          time { color: #666; font-size: .9rem; }
          a { color: #0645ad; }
          @media (prefers-color-scheme: dark) { body { background: #111; color: #eee; } .about { background: #222; } a { color: #8ab4f8; } time { color: #aaa; } }
        </style>
      </head>
      <body>
        <p class="about">This is a web feed. To follow <xsl:value-of select="title"/>, copy this page's address
          (<code><xsl:value-of select="atom:link[@rel='self']/@href"/></code>) into your feed reader.</p>
        <header>
          <h1><xsl:value-of select="title"/></h1>
          <xsl:if test="description != title"><p><xsl:value-of select="description"/></p></xsl:if>
          <p><a href="{link}">Visit the site</a></p>
        </header>
        <main>
          <xsl:for-each select="item">
            <article>
              <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
              <xsl:if test="pubDate"><time><xsl:value-of select="pubDate"/></time></xsl:if>
              <xsl:if test="description"><p><xsl:value-of select="description"/></p></xsl:if>
            </article>
          </xsl:for-each>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
