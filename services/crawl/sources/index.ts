import type { Config } from "../../../lib/config";
import type { SOURCES } from "../../dataset/definition";
import { PermanentError } from "../errors";
import { baiduSource } from "./baidu";
import { bingSource } from "./bing";
import { duckduckgoSource } from "./duckduckgo";
import { googleSource } from "./google";
import { openverseSource } from "./openverse";
import type { ImageSource, SourceFactory } from "./source";
import { urlsSource } from "./urls";
import { wikimediaSource } from "./wikimedia";

export type SourceName = (typeof SOURCES)[number];

/** Every source by its dataset name: the one place a source is registered. */
export const SOURCE_FACTORIES: Readonly<Record<SourceName, SourceFactory>> = {
	bing: bingSource,
	duckduckgo: duckduckgoSource,
	google: googleSource,
	baidu: baiduSource,
	wikimedia: wikimediaSource,
	openverse: openverseSource,
	urls: urlsSource,
};

export function isSourceName(name: string): name is SourceName {
	return Object.hasOwn(SOURCE_FACTORIES, name);
}

/** The source of that name, reading its base URL from the crawl configuration. */
export function sourceFor(name: string, config: Config["crawl"]): ImageSource {
	if (!isSourceName(name)) throw new PermanentError("unknown_source", `no image source is named '${name}'`);
	return SOURCE_FACTORIES[name](config);
}

export type { ImageSource, SearchCursor, SearchPage, SearchRequest, SearchResult, SourceHttp, SourceResponse } from "./source";
