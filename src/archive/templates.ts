import Handlebars from 'handlebars';

/**
 * The archive's pages as Handlebars templates: every `{{value}}` is HTML-escaped by Handlebars; the
 * only unescaped values (`{{{…}}}`) are the report's HTML (markdown-it, raw HTML off:
 * ./report-html.ts) and chart options made script-safe (./chart-json.ts). No inline script, no
 * style attribute: the Content-Security-Policy (./headers.ts) allows neither.
 */
const hbs = Handlebars.create();

hbs.registerPartial(
  'layout',
  `<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{title}}</title>
<link rel="icon" href="/archive/assets/icon.svg">
<link rel="stylesheet" href="/archive/assets/archive.css">
{{#if charts}}<script src="/archive/assets/echarts.min.js" defer></script>
<script src="/archive/assets/archive.js" defer></script>{{/if}}
</head>
<body>
<header class="archive-header"><p class="team">{{teamName}} · {{archiveWord}}</p>
{{#if nav}}<nav class="archive-nav">{{#each nav}}<a href="{{href}}"{{#if current}} aria-current="page"{{/if}}>{{label}}</a>{{/each}}</nav>{{/if}}
</header>
<main>
{{> @partial-block }}
</main>
</body>
</html>
`,
);

const compile = (source: string) => hbs.compile(source, { strict: false, knownHelpersOnly: false });

export const weeksPage = compile(`{{#> layout}}
<h1>{{heading}}</h1>
{{#if weeks.length}}
<ul class="weeks">
{{#each weeks}}<li class="week-row"><a href="{{href}}">{{week}}</a>{{#if draft}} <span class="draft">{{../t.draft}}</span>{{/if}}
<span class="participation">{{../t.submitted}} {{submitted}}/{{total}}</span>
{{#if missedTargets.length}}<span class="missed">{{../t.missedTargets}}: {{#each missedTargets}}{{this}}{{#unless @last}}; {{/unless}}{{/each}}</span>{{else}}<span class="met">{{../t.allTargetsMet}}</span>{{/if}}
</li>
{{/each}}
</ul>
{{else}}<p class="empty">{{t.noWeeks}}</p>{{/if}}
{{/layout}}`);

export const weekPage = compile(`{{#> layout}}
{{#if weekOnly}}<p class="note">{{t.weekOnly}}</p>{{/if}}
{{#if draft}}<p class="draft-banner">{{t.draftBanner}}</p>{{/if}}
<article class="report">
{{{reportHtml}}}
</article>
<section class="revisions">
<h2>{{t.revisionsHeading}}</h2>
{{#if revisions.length}}
<ol>
{{#each revisions}}<li class="revision"><p class="meta"><span class="section">{{section}}</span> · <span class="who">{{who}}</span> · <time datetime="{{iso}}">{{when}}</time>{{#if unposted}} · <span class="unposted">{{../t.unposted}}</span>{{/if}}</p>
<pre class="revision-text">{{text}}</pre></li>
{{/each}}
</ol>
{{else}}<p class="empty">{{t.noRevisions}}</p>{{/if}}
</section>
{{/layout}}`);

export const trendsPage = compile(`{{#> layout}}
<h1>{{t.trendsHeading}}</h1>
{{#each charts}}<figure class="chart-box">
<div class="chart" role="img" aria-label="{{title}}"></div>
<script type="application/json" class="chart-option">{{{optionJson}}}</script>
</figure>
{{else}}<p class="empty">{{t.noCharts}}</p>{{/each}}
{{/layout}}`);

export const participationPage = compile(`{{#> layout}}
<h1>{{t.participationHeading}}</h1>
{{#if rows.length}}
<div class="table-scroll"><table class="participation">
<thead><tr><th>{{t.person}}</th><th>{{t.section}}</th>{{#each weeks}}<th>{{this}}</th>{{/each}}<th>{{t.counts}}</th></tr></thead>
<tbody>
{{#each rows}}<tr><td>{{name}}</td><td>{{section}}</td>{{#each marks}}<td title="{{week}} {{status}}">{{mark}}</td>{{/each}}<td>{{counts}}</td></tr>
{{/each}}
</tbody></table></div>
{{else}}<p class="empty">{{t.noParticipation}}</p>{{/if}}
{{/layout}}`);

export const incidentsPage = compile(`{{#> layout}}
<h1>{{t.incidentsHeading}}</h1>
{{#each weeks}}<section class="incident-week"><h2><a href="{{href}}">{{week}}</a></h2>
<ul>{{#each incidents}}<li><span class="time">{{time}}</span> <span class="incident-text">{{text}}</span></li>{{/each}}</ul></section>
{{else}}<p class="empty">{{t.noIncidents}}</p>{{/each}}
{{/layout}}`);

export const goalsPage = compile(`{{#> layout}}
<h1>{{t.goalsHeading}}</h1>
{{#each weeks}}<section class="goal-week"><h2><a href="{{href}}">{{week}}</a></h2>
{{#each reviews}}<h3>{{section}} · {{goalsOf}}</h3>
<ol class="goals">{{#each goals}}<li value="{{number}}" class="goal"><span class="goal-text">{{text}}</span>{{#if status}} <span class="goal-status">{{status}}</span>{{/if}}{{#if note}} <span class="goal-note">{{note}}</span>{{/if}}</li>{{/each}}</ol>
{{/each}}</section>
{{else}}<p class="empty">{{t.noGoals}}</p>{{/each}}
{{/layout}}`);

export const searchPage = compile(`{{#> layout}}
<h1>{{t.searchHeading}}</h1>
<form class="search" method="get" action="{{action}}">
<input type="hidden" name="exp" value="{{exp}}"><input type="hidden" name="sig" value="{{sig}}">
<input name="q" type="search" value="{{query}}" placeholder="{{t.searchPlaceholder}}" maxlength="{{maxQuery}}">
<button type="submit">{{t.searchButton}}</button>
</form>
{{#if query}}
{{#if hits.length}}<p class="result-count">{{count}}</p>
<ul class="results">{{#each hits}}<li class="result"><a href="{{href}}">{{week}}</a>
{{#each snippets}}<p class="snippet">{{before}}<mark>{{match}}</mark>{{after}}</p>{{/each}}</li>
{{/each}}</ul>
{{else}}<p class="empty">{{none}}</p>{{/if}}
{{/if}}
{{/layout}}`);

export const errorPage = compile(`<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{status}} {{title}}</title>
<link rel="icon" href="/archive/assets/icon.svg">
<link rel="stylesheet" href="/archive/assets/archive.css">
</head>
<body>
<main class="error">
{{#each messages}}<h1>{{title}}</h1>
<p>{{body}}</p>
{{/each}}
</main>
</body>
</html>
`);
