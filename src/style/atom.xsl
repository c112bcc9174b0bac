<?xml version="1.0" encoding="utf-8"?>
<!-- feedwright: shows an Atom feed as a page in a browser. Self-contained:
     no scripts, no remote fonts or images. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html>
      <xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> (feed)</title>
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
        <p class="about">This is a web feed. To follow <xsl:value-of select="atom:title"/>, copy this page's address
          (<code><xsl:value-of select="atom:link[@rel='self']/@href"/></code>) into your feed reader.</p>
        <header>
          <h1><xsl:value-of select="atom:title"/></h1>
          <xsl:if test="atom:subtitle"><p><xsl:value-of select="atom:subtitle"/></p></xsl:if>
          <xsl:if test="atom:link[@rel='alternate']"><p><a href="{atom:link[@rel='alternate']/@href}">Visit the site</a></p></xsl:if>
        </header>
        <main>
          <xsl:for-each select="atom:entry">
            <article>
              <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
              <xsl:variable name="when" select="(atom:published|atom:updated)[1]"/>
              <time datetime="{$when}"><xsl:value-of select="substring($when, 1, 10)"/></time>
              <xsl:if test="atom:summary"><p><xsl:value-of select="atom:summary"/></p></xsl:if>
            </article>
          </xsl:for-each>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
