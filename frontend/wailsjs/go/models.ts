export namespace app {
	
	export class Info {
	    version: string;
	    dataDir: string;
	    dbPath: string;
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.dataDir = source["dataDir"];
	        this.dbPath = source["dbPath"];
	    }
	}

}

export namespace metering {
	
	export class Estimate {
	    provider: string;
	    model: string;
	    rateVersion: number;
	    promptTokens: number;
	    maxOutputTokens: number;
	    encoding: string;
	    family: string;
	    exact: boolean;
	    low: string;
	    high: string;
	    lowMinor: number;
	    highMinor: number;
	    free: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Estimate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.rateVersion = source["rateVersion"];
	        this.promptTokens = source["promptTokens"];
	        this.maxOutputTokens = source["maxOutputTokens"];
	        this.encoding = source["encoding"];
	        this.family = source["family"];
	        this.exact = source["exact"];
	        this.low = source["low"];
	        this.high = source["high"];
	        this.lowMinor = source["lowMinor"];
	        this.highMinor = source["highMinor"];
	        this.free = source["free"];
	    }
	}

}

export namespace prefs {
	
	export class Key {
	    name: string;
	    description: string;
	    adminOnly: boolean;
	    choices?: string[];
	    maxLen: number;
	
	    static createFrom(source: any = {}) {
	        return new Key(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.description = source["description"];
	        this.adminOnly = source["adminOnly"];
	        this.choices = source["choices"];
	        this.maxLen = source["maxLen"];
	    }
	}

}

export namespace rates {
	
	export class CalcInput {
	    price: string;
	    unit: string;
	    markupPct: string;
	    creditValue: string;
	
	    static createFrom(source: any = {}) {
	        return new CalcInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.price = source["price"];
	        this.unit = source["unit"];
	        this.markupPct = source["markupPct"];
	        this.creditValue = source["creditValue"];
	    }
	}
	export class CalcResult {
	    perToken: string;
	    display: string;
	    exact: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CalcResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.perToken = source["perToken"];
	        this.display = source["display"];
	        this.exact = source["exact"];
	    }
	}
	export class Row {
	    provider: string;
	    model: string;
	    input: string;
	    output: string;
	    cacheRead: string;
	    cacheWrite: string;
	    reasoning: string;
	    perRequest: string;
	    perToolCall: string;
	
	    static createFrom(source: any = {}) {
	        return new Row(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.input = source["input"];
	        this.output = source["output"];
	        this.cacheRead = source["cacheRead"];
	        this.cacheWrite = source["cacheWrite"];
	        this.reasoning = source["reasoning"];
	        this.perRequest = source["perRequest"];
	        this.perToolCall = source["perToolCall"];
	    }
	}
	export class Defaults {
	    input: string;
	    output: string;
	
	    static createFrom(source: any = {}) {
	        return new Defaults(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.input = source["input"];
	        this.output = source["output"];
	    }
	}
	export class Change {
	    defaults?: Defaults;
	    rows: Row[];
	    reason?: string;
	
	    static createFrom(source: any = {}) {
	        return new Change(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.defaults = this.convertValues(source["defaults"], Defaults);
	        this.rows = this.convertValues(source["rows"], Row);
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Diff {
	    provider: string;
	    model: string;
	    field: string;
	    old: string;
	    new: string;
	
	    static createFrom(source: any = {}) {
	        return new Diff(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.field = source["field"];
	        this.old = source["old"];
	        this.new = source["new"];
	    }
	}
	export class Model {
	    provider: string;
	    model: string;
	    source: string;
	    rates: Row;
	    effective: Row;
	
	    static createFrom(source: any = {}) {
	        return new Model(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.source = source["source"];
	        this.rates = this.convertValues(source["rates"], Row);
	        this.effective = this.convertValues(source["effective"], Row);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ProviderInfo {
	    id: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new ProviderInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	    }
	}
	export class ProviderModels {
	    provider: ProviderInfo;
	    models: Model[];
	
	    static createFrom(source: any = {}) {
	        return new ProviderModels(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = this.convertValues(source["provider"], ProviderInfo);
	        this.models = this.convertValues(source["models"], Model);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class VersionInfo {
	    id: number;
	    // Go type: time
	    effectiveAt: any;
	    createdBy: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new VersionInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.effectiveAt = this.convertValues(source["effectiveAt"], null);
	        this.createdBy = source["createdBy"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Table {
	    version: VersionInfo;
	    defaults: Defaults;
	    providers: ProviderModels[];
	
	    static createFrom(source: any = {}) {
	        return new Table(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = this.convertValues(source["version"], VersionInfo);
	        this.defaults = this.convertValues(source["defaults"], Defaults);
	        this.providers = this.convertValues(source["providers"], ProviderModels);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace tokenizer {
	
	export class Message {
	    role: string;
	    content: string;
	    name?: string;
	
	    static createFrom(source: any = {}) {
	        return new Message(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.role = source["role"];
	        this.content = source["content"];
	        this.name = source["name"];
	    }
	}

}

