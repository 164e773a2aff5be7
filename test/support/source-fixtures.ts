/**
 * Response bodies of each image source in its real shape (see shared SOURCES.md), rendered from a
 * list of results. Parser tests read them, and the fixture web serves them; the parser tests also
 * read small literal samples of each shape so that these renderings cannot drift from reality.
 */
import { createHash } from "node:crypto";
import { encodeBaiduUrl } from "../../services/crawl/sources/baidu";
import { openverseLicenseCode } from "../../services/crawl/sources/licenses";

export interface FixtureResult {
	imageUrl: string;
	pageUrl: string;
	title: string;
	width: number;
	height: number;
	/** Our licence name (cc-by-sa, public-domain, …); rendered in each API's own words. */
	license?: string;
	author?: string;
	/** Defaults to the image URL. */
	thumbnailUrl?: string;
}

/** A whole answer: status, headers and body, for blocked and throttled responses. */
export interface FixtureResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
}

export function escapeHtml(text: string): string {
	return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const digest = (text: string, length = 32) => createHash("sha256").update(text).digest("hex").slice(0, length);
const hostOf = (url: string) => {
	try {
		return new URL(url).host;
	} catch {
		return "example.com";
	}
};
const extensionOf = (url: string) => /\.([a-z0-9]+)(?:$|[?#])/i.exec(url)?.[1]?.toLowerCase() ?? "jpg";

/** Bing wraps the matched words of `t` and `desc` in private-use marks U+E000 … U+E001. */
function highlight(text: string, keyword: string | undefined): string {
	const word = keyword?.split(/\s+/)[0] || text.split(/\s+/)[0];
	const at = word ? text.toLowerCase().indexOf(word.toLowerCase()) : -1;
	if (at < 0) return text;
	return `${text.slice(0, at)}\uE000${text.slice(at, at + word.length)}\uE001${text.slice(at + word.length)}`;
}

// ---------------------------------------------------------------------------------------------- Bing

/**
 * `GET /images/async?q=…&first=…&count=35` — an HTML fragment: one `li` per result with an `a.iusc`
 * whose `m` attribute is HTML-escaped JSON, the size in `.img_info span.nowrap` and in the detail
 * link's `expw`/`exph`; `div.dgControl[data-nextUrl]` names the next offset (omitted when `nextFirst` is null).
 */
export function bingAsyncHtml(
	results: FixtureResult[],
	nextFirst: number | null,
	options: { keyword?: string; count?: number } = {},
): string {
	const keyword = options.keyword ?? "";
	const items = results.map((result, index) => {
		const id = digest(result.imageUrl, 40).toUpperCase();
		const meta = {
			sid: "",
			cturl: `https://th.bing.com/th/id/R.${digest(result.imageUrl)}?rik=${id.slice(0, 12)}&riu=http%3a%2f%2fexample.com&ehk=x`,
			cid: id.slice(0, 8),
			purl: result.pageUrl,
			murl: result.imageUrl,
			turl: result.thumbnailUrl ?? result.imageUrl,
			md5: digest(result.imageUrl),
			shkey: `${digest(result.pageUrl, 12)}=`,
			t: highlight(result.title, keyword),
			mid: id,
			desc: highlight(`${result.title} on ${hostOf(result.pageUrl)}`, keyword),
		};
		const detail =
			`/images/search?view=detailV2&ccid=${meta.cid}&id=${id}&thid=OIP.${meta.cid}&mediaurl=${encodeURIComponent(result.imageUrl)}` +
			`&exph=${result.height}&expw=${result.width}&q=${encodeURIComponent(keyword)}&simid=${digest(result.pageUrl, 18)}&FORM=IRPRST&ck=${meta.md5}&selectedIndex=${index}`;
		const format = extensionOf(result.imageUrl) === "jpg" ? "jpeg" : extensionOf(result.imageUrl);
		return (
			`<li data-idx="${index + 1}"><div class="iuscp varh isv" data-evt="1"><div class="imgpt" data-nofocus="1">` +
			`<a class="iusc" style="height:183px;width:289px" m="${escapeHtml(JSON.stringify(meta))}" mad="${escapeHtml('{"turl":"","maw":289,"mah":183}')}" href="${escapeHtml(detail)}" h="ID=images,5${index}">` +
			`<div class="img_cont hoff"><img class="mimg" style="background-color:#4c3a2b;color:#4c3a2b" height="183" width="289" src="${escapeHtml(meta.turl)}" alt="${escapeHtml(result.title)}" /></div></a>` +
			`<div class="img_info hon"><span class="nowrap">${result.width}&#215;${result.height} · ${escapeHtml(format)}</span>` +
			`<div class="lnkw"><a target="_blank" aria-hidden="true" tabindex="-1" href="${escapeHtml(result.pageUrl)}">${escapeHtml(hostOf(result.pageUrl))}</a></div></div></div>` +
			`<div class="infnmpt"><div class="infpd"><a class="inflnk" aria-label="${escapeHtml(result.title)}" href="${escapeHtml(result.pageUrl)}">` +
			`<ul class="b_dataList"><li><span class="infnm">${escapeHtml(hostOf(result.pageUrl))}</span></li></ul></a></div></div></div></li>`
		);
	});
	const count = options.count ?? 35;
	const next =
		nextFirst === null
			? ""
			: `<div class="dgControl hover" data-nextUrl="${escapeHtml(`/images/async?q=${encodeURIComponent(keyword)}&first=${nextFirst}&count=${count}&cw=1177&ch=826&relp=${count}&apc=0&tsc=ImageHoverTitle&datsrc=I&layout=RowBased&mmasync=1`)}" data-row="5" data-col="0"></div>`;
	return `<div class="dgControl" data-ffu="1"><ul class="dgControl_list">${items.join("")}</ul></div>${next}`;
}

/** Bing throttling: HTTP 429 with Retry-After. */
export function bingBlocked(): FixtureResponse {
	return {
		status: 429,
		headers: { "content-type": "text/html; charset=utf-8", "retry-after": "30" },
		body: "<!DOCTYPE html><html><head><title>Too Many Requests</title></head><body>Too Many Requests</body></html>",
	};
}

// ---------------------------------------------------------------------------------------- DuckDuckGo

/** A deterministic DuckDuckGo-style token for a query. */
export function duckduckgoVqd(query: string): string {
	return `4-${BigInt(`0x${digest(`vqd:${query}`, 30)}`).toString()}`;
}

/**
 * The HTML of `/?q=…&iax=images&ia=images` carrying the vqd token: `vqd="4-…"` (now), `vqd='3-…'`
 * (older pages) or only inside a `&vqd=…&` URL.
 */
export function duckduckgoTokenPage(vqd: string, style: "double" | "single" | "url" = "double", query = "cats"): string {
	const q = encodeURIComponent(query);
	const token =
		style === "double"
			? `<script type="text/javascript">DDG.ready(function(){DDG.duckbar.future_signal_tab({signal:'high',from:'images'});});</script><script>vqd="${vqd}";</script>`
			: style === "single"
				? `<script type="text/javascript">nrji('/t.js?q=${q}&l=us-en&s=0&dl=en&ct=US&ss_mkt=us&p_ent=&ex=-1', vqd='${vqd}');</script>`
				: `<script type="text/javascript">DDG.deep.initialize('/d.js?q=${q}&l=us-en&s=0&dl=en&ct=US&ss_mkt=us&vqd=${vqd}&p_ent=&ex=-1&sp=0');</script>`;
	return (
		`<!DOCTYPE html><html lang="en-US" class="no-js has-zcm  no-theme is-link-style-exp is-link-order-exp is-link-breadcrumb-exp is-related-search-exp is-vertical-tabs-exp"><head>` +
		`<meta http-equiv="content-type" content="text/html; charset=utf-8"><title>${escapeHtml(query)} at DuckDuckGo</title>` +
		`<link rel="stylesheet" href="/dist/s.b49dcfb5899df4f917ee.css" type="text/css"></head>` +
		`<body class="body--serp"><input id="state_hidden" name="state_hidden" type="text" size="1"><div id="header_wrapper"></div>${token}</body></html>`
	);
}

/** The `next` path of an `i.js` answer: the next offset (`s`) and the token. */
export function duckduckgoNext(query: string, vqd: string, offset: number): string {
	return `i.js?q=${encodeURIComponent(query)}&o=json&p=1&s=${offset}&u=bing&f=,,,,,&l=us-en&vqd=${vqd}`;
}

/** `GET /i.js?o=json&q=…&vqd=…`: `results[]`, `next` (still present on an empty page), `vqd` keyed by query. */
export function duckduckgoJson(results: FixtureResult[], next: string | null, options: { query?: string; vqd?: string } = {}): string {
	const query = options.query ?? "cats";
	const vqd = options.vqd ?? duckduckgoVqd(query);
	const body: Record<string, unknown> = {
		ads: null,
		query,
		queryEncoded: encodeURIComponent(query),
		response_type: "images",
		results: results.map((result) => ({
			height: result.height,
			image: result.imageUrl,
			image_token: digest(`image:${result.imageUrl}`, 64),
			source: "Bing",
			thumbnail: result.thumbnailUrl ?? result.imageUrl,
			thumbnail_token: digest(`thumb:${result.imageUrl}`, 64),
			title: result.title,
			url: result.pageUrl,
			width: result.width,
			discovery_date: "2024-11-03T06:12:44.0000000",
			encoding_format: extensionOf(result.imageUrl) === "jpg" ? "jpeg" : extensionOf(result.imageUrl),
		})),
		vqd: { [encodeURIComponent(query)]: vqd },
	};
	if (next !== null) body.next = next;
	return JSON.stringify(body);
}

/**
 * DuckDuckGo's block: a small "anomaly" answer. `json` is what `i.js` answers (403 with a short JS
 * body), `page` what the token page answers (202 with the anomaly modal), `teapot` the 418 variant.
 */
export function duckduckgoBlocked(kind: "json" | "page" | "teapot" = "json"): FixtureResponse {
	if (kind === "page") {
		return {
			status: 202,
			headers: { "content-type": "text/html; charset=UTF-8" },
			body: '<!DOCTYPE html><html><body><div class="anomaly-modal__mask"><div class="anomaly-modal__modal" data-testid="anomaly-modal"><div class="anomaly-modal__title">Unfortunately, bots use DuckDuckGo too.</div></div></div></body></html>',
		};
	}
	return {
		status: kind === "teapot" ? 418 : 403,
		headers: { "content-type": "application/x-javascript" },
		body: 'If this error persists, please let us know: ops@duckduckgo.com\n{"action":"error","message":"anomaly"}',
	};
}

// -------------------------------------------------------------------------------------------- Google

/**
 * The basic no-JS `/search?tbm=isch&q=…` page: `td.e3goi` cells, four to a row, each with a
 * `/url?…&url=<page>` link around a thumbnail `img`, a title span and a domain span. No original
 * image URL and no size. A "Next" link with `start=` when `nextStart` is given.
 */
export function googleBasicHtml(results: FixtureResult[], options: { query?: string; nextStart?: number | null } = {}): string {
	const query = options.query ?? "cats";
	const redirect = (page: string) =>
		`/url?esrc=s&q=&rct=j&sa=U&url=${encodeURIComponent(page)}&ved=2ahUKEwj${digest(page, 12)}&usg=AOvVaw${digest(`usg:${page}`, 20)}`;
	const cells = results.map(
		(result) =>
			`<td class="e3goi"><div class="svla5d"><div><div class="lIMUZd"><div><table class="TxbwNb"><tr><td>` +
			`<a href="${escapeHtml(redirect(result.pageUrl))}"><div class="kCmkOe"><img class="DS1iW" alt="" src="${escapeHtml(result.thumbnailUrl ?? result.imageUrl)}"/></div></a>` +
			`</td></tr><tr><td><a href="${escapeHtml(redirect(result.pageUrl))}"><div class="Nr4Jbd">` +
			`<span class="qXLe6d x3G5ab"><span class="fYyStc">${escapeHtml(result.title)}</span></span>` +
			`<span class="qXLe6d F9iS2e"><span class="fYyStc">${escapeHtml(hostOf(result.pageUrl))}</span></span>` +
			`</div></a></td></tr></table></div></div></div></div></div></td>`,
	);
	const rows: string[] = [];
	for (let index = 0; index < cells.length; index += 4) rows.push(`<tr>${cells.slice(index, index + 4).join("")}</tr>`);
	const next =
		options.nextStart == null
			? ""
			: `<table class="uZgmoc"><tbody><td><a class="frGj1b" href="${escapeHtml(`/search?q=${encodeURIComponent(query)}&tbm=isch&ei=x&start=${options.nextStart}&sa=N`)}">Next&nbsp;&gt;</a></td></tbody></table>`;
	return (
		`<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta content="/images/branding/googleg/1x/googleg_standard_color_128dp.png" itemprop="image">` +
		`<title>${escapeHtml(query)} - Google Search</title></head><body><header id="hdr"><a href="/?sa=X&ved=0ahUKEwi">Google</a></header>` +
		`<div class="X6ZCif"><a class="eZt8xd" href="/search?q=${encodeURIComponent(query)}&amp;tbm=isch&amp;sa=X">Images</a></div>` +
		`<div><table class="GpQGbf">${rows.join("")}</table></div>${next}<footer><div>Learn more</div></footer></body></html>`
	);
}

/** The "unusual traffic" page: `form#captcha-form`. */
export function googleCaptchaHtml(): string {
	return (
		'<!DOCTYPE html><html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"><title>https://www.google.com/search?tbm=isch&amp;q=cats</title></head>' +
		'<body style="margin:0"><div style="max-width:400px;"><hr noshade size="1"><div style="font-size:13px;"><b>About this page</b><br><br>' +
		"Our systems have detected unusual traffic from your computer network.</div>" +
		'<form id="captcha-form" action="index" method="post"><script src="https://www.google.com/recaptcha/api.js" async defer></script>' +
		'<div id="recaptcha" class="g-recaptcha" data-sitekey="6LfwuyUTAAAAAOAmoS0fdqijC2PbbdH4kjq62Y1b"></div>' +
		'<input type="hidden" name="q" value="EgQK"><input type="hidden" name="continue" value="https://www.google.com/search?tbm=isch&amp;q=cats"></form>' +
		"</div></body></html>"
	);
}

/** Google answers the captcha page with HTTP 429. */
export function googleBlocked(): FixtureResponse {
	return { status: 429, headers: { "content-type": "text/html; charset=UTF-8" }, body: googleCaptchaHtml() };
}

// --------------------------------------------------------------------------------------------- Baidu

/**
 * `GET /search/acjson?tn=resultjson_com&word=…&pn=…&rn=30`: `data[]` items with thumbnail URLs,
 * obfuscated `objURL`/`fromURL`, the plain `replaceUrl`, size and titles; the last element of
 * `data` is an empty object.
 */
export function baiduJson(results: FixtureResult[], options: { query?: string; listNum?: number } = {}): string {
	const query = options.query ?? "cats";
	const data: Record<string, unknown>[] = results.map((result, index) => {
		const thumb = result.thumbnailUrl ?? result.imageUrl;
		const sign = digest(result.imageUrl, 10);
		return {
			adType: "0",
			hasAspData: "0",
			thumbURL: thumb,
			commodityInfos: null,
			isCommodity: 0,
			middleURL: thumb,
			shituToken: digest(`shitu:${result.imageUrl}`, 16),
			largeTnImageUrl: "",
			hasLarge: 0,
			hoverURL: thumb,
			pageNum: index,
			objURL: encodeBaiduUrl(result.imageUrl),
			fromURL: encodeBaiduUrl(result.pageUrl),
			fromURLHost: hostOf(result.pageUrl),
			currentIndex: "",
			width: result.width,
			height: result.height,
			type: extensionOf(result.imageUrl),
			is_gif: 0,
			isCopyright: 0,
			strategyAssessment: "1052289133_0_0_0",
			filesize: "",
			bdSrcType: "0",
			di: `${BigInt(`0x${sign}`)}`,
			pi: "0",
			is: "0,0",
			imgCollectionWord: "",
			replaceUrl: [{ ObjURL: result.imageUrl, ObjUrl: result.imageUrl, FromURL: result.pageUrl, FromUrl: result.pageUrl }],
			hasThumbData: "0",
			bdSetImgNum: 0,
			partnerId: 0,
			spn: 0,
			bdImgnewsDate: "1970-01-01 08:00",
			fromPageTitle: result.title.replace(query, `<strong>${query}</strong>`),
			fromPageTitleEnc: result.title,
			bdSourceName: "",
			bdFromPageTitlePrefix: "",
			isAspDianjing: 0,
			token: "",
			imgType: "",
			cs: `${parseInt(sign.slice(0, 8), 16)},${parseInt(sign.slice(2, 10), 16)}`,
			os: `${parseInt(sign.slice(1, 9), 16)},${parseInt(sign.slice(3, 9), 16)}`,
			simid: `${parseInt(sign.slice(0, 6), 16)},${parseInt(sign.slice(4, 10), 16)}`,
			personalized: "0",
			simid_info: null,
			face_info: null,
			xiangshi_info: null,
			adPicId: "0",
			source_type: "",
		};
	});
	data.push({});
	const listNum = options.listNum ?? results.length;
	return JSON.stringify({
		queryEnc: encodeURIComponent(query),
		queryExt: query,
		listNum,
		displayNum: listNum,
		gsm: "1e",
		bdFmtDispNum: `约${listNum}`,
		bdSearchTime: "",
		isNeedAsyncRequest: 0,
		bdIsClustered: "1",
		data,
	});
}

/** What Baidu answers clients without its cookies. */
export function baiduBlocked(): FixtureResponse {
	return {
		status: 200,
		headers: { "content-type": "application/json; charset=utf-8" },
		body: JSON.stringify({ antiFlag: 1, message: "Forbid spider access", bfe_log_id: "11817519718829744585" }),
	};
}

// ----------------------------------------------------------------------------------------- Wikimedia

/** How Wikimedia Commons writes one of our licence names in `LicenseShortName`. */
export function commonsLicenseShortName(license: string): string {
	if (license === "cc0") return "CC0";
	if (license === "public-domain") return "Public domain";
	if (license.startsWith("cc-by")) return `CC ${license.slice(3).toUpperCase()} 4.0`;
	return "All rights reserved";
}

function commonsLicenseUrl(license: string): string {
	if (license === "cc0") return "http://creativecommons.org/publicdomain/zero/1.0/deed.en";
	if (license.startsWith("cc-by")) return `https://creativecommons.org/licenses/${license.slice(3)}/4.0`;
	return "";
}

const MIME: Record<string, string> = {
	jpg: "image/jpeg",
	jpeg: "image/jpeg",
	png: "image/png",
	webp: "image/webp",
	gif: "image/gif",
	svg: "image/svg+xml",
	tif: "image/tiff",
	pdf: "application/pdf",
};

/**
 * `GET /w/api.php?action=query&generator=search&…&prop=imageinfo`: `query.pages` keyed by page id
 * (not in rank order; `index` is the rank), `imageinfo[0]` with `extmetadata` values as HTML,
 * `continue.gsroffset` for the next page. No results: only `searchinfo` with a suggestion.
 */
export function wikimediaJson(
	results: FixtureResult[],
	continueOffset: number | null,
	options: { offset?: number; totalhits?: number; thumbWidth?: number; query?: string } = {},
): string {
	const offset = options.offset ?? 0;
	const thumbWidth = options.thumbWidth ?? 1024;
	const pages: Record<string, unknown> = {};
	results.forEach((result, index) => {
		const extension = extensionOf(result.imageUrl);
		const pageid = parseInt(digest(`page:${result.imageUrl}`, 7), 16);
		const name = `${result.title.replace(/\s+/g, " ").trim()}.${extension}`;
		const license = result.license ?? "cc-by-sa";
		const scale = Math.min(1, thumbWidth / result.width);
		const author = result.author ?? "Unknown author";
		const user = author.replace(/\s+/g, "_");
		pages[String(pageid)] = {
			pageid,
			ns: 6,
			title: `File:${name}`,
			index: offset + index + 1,
			imagerepository: "local",
			imageinfo: [
				{
					thumburl: result.thumbnailUrl ?? result.imageUrl,
					thumbwidth: Math.round(result.width * scale),
					thumbheight: Math.round(result.height * scale),
					responsiveUrls: {},
					url: result.imageUrl,
					descriptionurl: result.pageUrl,
					descriptionshorturl: `https://commons.wikimedia.org/w/index.php?curid=${pageid}`,
					width: result.width,
					height: result.height,
					size: result.width * result.height,
					mime: MIME[extension] ?? "image/jpeg",
					extmetadata: {
						DateTime: { value: "2021-06-14 09:12:03", source: "mediawiki-metadata", hidden: "" },
						ObjectName: { value: result.title, source: "mediawiki-metadata", hidden: "" },
						Categories: { value: "Images|Test", source: "commons-categories", hidden: "" },
						Assessments: { value: "", source: "commons-categories", hidden: "" },
						ImageDescription: { value: `<p>${escapeHtml(result.title)}</p>`, source: "commons-desc-page" },
						Credit: { value: '<span class="int-own-work" lang="en">Own work</span>', source: "commons-desc-page", hidden: "" },
						Artist: {
							value: `<a href="//commons.wikimedia.org/wiki/User:${escapeHtml(user)}" title="User:${escapeHtml(user)}">${escapeHtml(author)}</a>`,
							source: "commons-desc-page",
						},
						LicenseShortName: { value: commonsLicenseShortName(license), source: "commons-desc-page", hidden: "" },
						UsageTerms: { value: commonsLicenseShortName(license), source: "commons-desc-page", hidden: "" },
						AttributionRequired: { value: license.startsWith("cc-by") ? "true" : "false", source: "commons-desc-page", hidden: "" },
						LicenseUrl: { value: commonsLicenseUrl(license), source: "commons-desc-page", hidden: "" },
						Copyrighted: { value: license === "public-domain" ? "False" : "True", source: "commons-desc-page", hidden: "" },
						Restrictions: { value: "", source: "commons-desc-page", hidden: "" },
						License: {
							value: license === "public-domain" ? "pd" : license.startsWith("cc-by") ? `${license}-4.0` : license,
							source: "commons-templates",
							hidden: "",
						},
					},
				},
			],
		};
	});
	const totalhits = options.totalhits ?? offset + results.length;
	if (results.length === 0) {
		const query = options.query ?? "cats";
		return JSON.stringify({ batchcomplete: "", query: { searchinfo: { totalhits: 0, suggestion: query, suggestionsnippet: query } } });
	}
	const body: Record<string, unknown> = { batchcomplete: "", query: { searchinfo: { totalhits }, pages } };
	if (continueOffset !== null) body.continue = { gsroffset: continueOffset, continue: "gsroffset||" };
	return JSON.stringify(body);
}

/** The API's throttling answer (HTTP 429 from the edge, the API's own error object inside). */
export function wikimediaBlocked(): FixtureResponse {
	return {
		status: 429,
		headers: { "content-type": "application/json; charset=utf-8", "retry-after": "5" },
		body: JSON.stringify({
			error: { code: "ratelimited", info: "You've exceeded your rate limit. Please wait some time and try again.", "*": "" },
			servedby: "mw-api-ext.eqiad.main-7d4b",
		}),
	};
}

// ----------------------------------------------------------------------------------------- Openverse

/** `GET /v1/images/?q=…&license=…&page=…&page_size=…`: counts at the top level, `results[]` with licence codes. */
export function openverseJson(
	results: FixtureResult[],
	page: number,
	pageCount: number,
	options: { pageSize?: number; resultCount?: number } = {},
): string {
	const pageSize = options.pageSize ?? 20;
	return JSON.stringify({
		result_count: options.resultCount ?? pageCount * pageSize,
		page_count: pageCount,
		page_size: pageSize,
		page,
		results: results.map((result) => {
			const license = openverseLicenseCode(result.license ?? "cc-by") ?? "by";
			const version = license === "cc0" ? "1.0" : license === "pdm" ? "1.0" : "4.0";
			const licenseUrl =
				license === "cc0"
					? "https://creativecommons.org/publicdomain/zero/1.0/"
					: license === "pdm"
						? "https://creativecommons.org/publicdomain/mark/1.0/"
						: `https://creativecommons.org/licenses/${license}/${version}/`;
			const id = digest(`openverse:${result.imageUrl}`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
			const creator = result.author ?? "unknown";
			return {
				id,
				title: result.title,
				indexed_on: "2020-04-09T18:03:41.024540Z",
				foreign_landing_url: result.pageUrl,
				url: result.imageUrl,
				creator,
				creator_url: `https://www.flickr.com/photos/${encodeURIComponent(creator)}`,
				license,
				license_version: version,
				license_url: licenseUrl,
				provider: "flickr",
				source: "flickr",
				category: "photograph",
				genres: null,
				filesize: null,
				filetype: extensionOf(result.imageUrl),
				tags: [
					{ accuracy: null, name: result.title.split(/\s+/)[0]?.toLowerCase() ?? "photo", unstable__provenance: "provider" },
					{ accuracy: 0.93, name: "animal", unstable__provenance: "clarifai" },
				],
				alt_files: null,
				attribution: `"${result.title}" by ${creator} is licensed under ${license.toUpperCase()} ${version}. To view a copy of this license, visit ${licenseUrl}.`,
				fields_matched: ["title"],
				mature: false,
				height: result.height,
				width: result.width,
				thumbnail: result.thumbnailUrl ?? `https://api.openverse.org/v1/images/${id}/thumb/`,
				detail_url: `https://api.openverse.org/v1/images/${id}/`,
				related_url: `https://api.openverse.org/v1/images/${id}/related/`,
				unstable__sensitivity: [],
			};
		}),
	});
}

/** Openverse throttling: HTTP 429 with Retry-After and a DRF `detail`. */
export function openverseBlocked(): FixtureResponse {
	return {
		status: 429,
		headers: { "content-type": "application/json", "retry-after": "12" },
		body: JSON.stringify({ detail: "Request was throttled. Expected available in 12 seconds." }),
	};
}
