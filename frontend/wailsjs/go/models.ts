export namespace access {
	
	export class Actor {
	    userId: number;
	    name: string;
	    role: string;
	    system: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Actor(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.userId = source["userId"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.system = source["system"];
	    }
	}

}

export namespace app {
	
	export class AuditInput {
	    actorId: number;
	    action: string;
	    target: string;
	    from: string;
	    to: string;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.actorId = source["actorId"];
	        this.action = source["action"];
	        this.target = source["target"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.limit = source["limit"];
	    }
	}
	export class HistoryInput {
	    account: string;
	    ops: string[];
	    reservations: boolean;
	    from: string;
	    to: string;
	    before: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new HistoryInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.ops = source["ops"];
	        this.reservations = source["reservations"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.before = source["before"];
	        this.limit = source["limit"];
	    }
	}
	export class HistoryRow {
	    id: number;
	    requestId: string;
	    leg: number;
	    op: string;
	    kind: string;
	    from: string;
	    to: string;
	    // Go type: decimal
	    amount: any;
	    holdId?: number;
	    // Go type: decimal
	    debtRepaid: any;
	    userId?: number;
	    departmentId?: number;
	    model?: string;
	    source?: string;
	    conversationId?: number;
	    meta: number[];
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    expiresAt?: any;
	    status?: string;
	    amountWord?: string;
	    reservationNote?: string;
	    reservation?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new HistoryRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.requestId = source["requestId"];
	        this.leg = source["leg"];
	        this.op = source["op"];
	        this.kind = source["kind"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.amount = this.convertValues(source["amount"], null);
	        this.holdId = source["holdId"];
	        this.debtRepaid = this.convertValues(source["debtRepaid"], null);
	        this.userId = source["userId"];
	        this.departmentId = source["departmentId"];
	        this.model = source["model"];
	        this.source = source["source"];
	        this.conversationId = source["conversationId"];
	        this.meta = source["meta"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.expiresAt = this.convertValues(source["expiresAt"], null);
	        this.status = source["status"];
	        this.amountWord = source["amountWord"];
	        this.reservationNote = source["reservationNote"];
	        this.reservation = source["reservation"];
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
	export class HistoryPage {
	    items: HistoryRow[];
	    next: number;
	    ops: string[];
	    empty?: ledger.EmptyHistory;
	
	    static createFrom(source: any = {}) {
	        return new HistoryPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], HistoryRow);
	        this.next = source["next"];
	        this.ops = source["ops"];
	        this.empty = this.convertValues(source["empty"], ledger.EmptyHistory);
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
	export class Overview {
	    config: gateway.Config;
	    status: gateway.Status;
	
	    static createFrom(source: any = {}) {
	        return new Overview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.config = this.convertValues(source["config"], gateway.Config);
	        this.status = this.convertValues(source["status"], gateway.Status);
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
	export class PayerBalance {
	    account: string;
	    kind: string;
	    name: string;
	    accountName: string;
	    available: string;
	
	    static createFrom(source: any = {}) {
	        return new PayerBalance(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.kind = source["kind"];
	        this.name = source["name"];
	        this.accountName = source["accountName"];
	        this.available = source["available"];
	    }
	}
	export class SendInput {
	    conversationId: number;
	    messageId: string;
	    provider: string;
	    model: string;
	    text: string;
	    regenerate: boolean;
	    editMessageId: string;
	
	    static createFrom(source: any = {}) {
	        return new SendInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversationId = source["conversationId"];
	        this.messageId = source["messageId"];
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.text = source["text"];
	        this.regenerate = source["regenerate"];
	        this.editMessageId = source["editMessageId"];
	    }
	}
	export class SendOutcome {
	    message?: chat.Message;
	    error?: chat.ErrorInfo;
	
	    static createFrom(source: any = {}) {
	        return new SendOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.message = this.convertValues(source["message"], chat.Message);
	        this.error = this.convertValues(source["error"], chat.ErrorInfo);
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
	export class Session {
	    signedIn: boolean;
	    needsSetup: boolean;
	    actor: access.Actor;
	    displayName: string;
	    workspace: string;
	    idleLockMinutes: number;
	    timeZone: string;
	
	    static createFrom(source: any = {}) {
	        return new Session(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.signedIn = source["signedIn"];
	        this.needsSetup = source["needsSetup"];
	        this.actor = this.convertValues(source["actor"], access.Actor);
	        this.displayName = source["displayName"];
	        this.workspace = source["workspace"];
	        this.idleLockMinutes = source["idleLockMinutes"];
	        this.timeZone = source["timeZone"];
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
	export class TopUpInput {
	    id: string;
	    account: string;
	    packageId: number;
	    amount: string;
	    price: string;
	    currency: string;
	    taxRate: string;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new TopUpInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.account = source["account"];
	        this.packageId = source["packageId"];
	        this.amount = source["amount"];
	        this.price = source["price"];
	        this.currency = source["currency"];
	        this.taxRate = source["taxRate"];
	        this.note = source["note"];
	    }
	}
	export class TransferInput {
	    id: string;
	    from: string;
	    to: string;
	    amount: string;
	
	    static createFrom(source: any = {}) {
	        return new TransferInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.amount = source["amount"];
	    }
	}

}

export namespace chat {
	
	export class Author {
	    id: number;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new Author(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	    }
	}
	export class BalanceStatus {
	    payer: string;
	    payerName: string;
	    available: string;
	    threshold: string;
	    low: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BalanceStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.payer = source["payer"];
	        this.payerName = source["payerName"];
	        this.available = source["available"];
	        this.threshold = source["threshold"];
	        this.low = source["low"];
	    }
	}
	export class Usage {
	    cacheRead: number;
	    cacheWrite: number;
	    input: number;
	    output: number;
	    reasoning: number;
	    requests: number;
	    toolCalls: number;
	
	    static createFrom(source: any = {}) {
	        return new Usage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.cacheRead = source["cacheRead"];
	        this.cacheWrite = source["cacheWrite"];
	        this.input = source["input"];
	        this.output = source["output"];
	        this.reasoning = source["reasoning"];
	        this.requests = source["requests"];
	        this.toolCalls = source["toolCalls"];
	    }
	}
	export class Charge {
	    requestId: string;
	    transferId: number;
	    payer: string;
	    provider: string;
	    model: string;
	    source: string;
	    conversationId: number;
	    rateVersion: number;
	    // Go type: time
	    ratesAt?: any;
	    usage: Usage;
	    estimated: boolean;
	    hold: string;
	    amount: string;
	    price: string;
	    capped: boolean;
	    breakdown: metering.Breakdown;
	    summary: string;
	    free: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Charge(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.requestId = source["requestId"];
	        this.transferId = source["transferId"];
	        this.payer = source["payer"];
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.source = source["source"];
	        this.conversationId = source["conversationId"];
	        this.rateVersion = source["rateVersion"];
	        this.ratesAt = this.convertValues(source["ratesAt"], null);
	        this.usage = this.convertValues(source["usage"], Usage);
	        this.estimated = source["estimated"];
	        this.hold = source["hold"];
	        this.amount = source["amount"];
	        this.price = source["price"];
	        this.capped = source["capped"];
	        this.breakdown = this.convertValues(source["breakdown"], metering.Breakdown);
	        this.summary = source["summary"];
	        this.free = source["free"];
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
	export class ModelSettings {
	    temperature?: number;
	    topP?: number;
	    maxOutput: number;
	    reasoning: string;
	    history?: number;
	
	    static createFrom(source: any = {}) {
	        return new ModelSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.temperature = source["temperature"];
	        this.topP = source["topP"];
	        this.maxOutput = source["maxOutput"];
	        this.reasoning = source["reasoning"];
	        this.history = source["history"];
	    }
	}
	export class Conversation {
	    id: number;
	    userId: number;
	    title: string;
	    systemPrompt: string;
	    provider: string;
	    model: string;
	    draft: string;
	    settings: ModelSettings;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	    messages: number;
	    snippet: string;
	
	    static createFrom(source: any = {}) {
	        return new Conversation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.userId = source["userId"];
	        this.title = source["title"];
	        this.systemPrompt = source["systemPrompt"];
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.draft = source["draft"];
	        this.settings = this.convertValues(source["settings"], ModelSettings);
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.messages = source["messages"];
	        this.snippet = source["snippet"];
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
	export class ConversationInput {
	    title: string;
	    systemPrompt?: string;
	    provider?: string;
	    model?: string;
	    settings?: ModelSettings;
	
	    static createFrom(source: any = {}) {
	        return new ConversationInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.systemPrompt = source["systemPrompt"];
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.settings = this.convertValues(source["settings"], ModelSettings);
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
	export class ErrorInfo {
	    code: string;
	    message: string;
	    topUp: boolean;
	    askAdmin?: boolean;
	    retryAfterSec?: number;
	    localDown?: boolean;
	    address?: string;
	    // Go type: time
	    resetsAt?: any;
	    // Go type: time
	    retryAt?: any;
	    maxTokens?: number;
	
	    static createFrom(source: any = {}) {
	        return new ErrorInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.message = source["message"];
	        this.topUp = source["topUp"];
	        this.askAdmin = source["askAdmin"];
	        this.retryAfterSec = source["retryAfterSec"];
	        this.localDown = source["localDown"];
	        this.address = source["address"];
	        this.resetsAt = this.convertValues(source["resetsAt"], null);
	        this.retryAt = this.convertValues(source["retryAt"], null);
	        this.maxTokens = source["maxTokens"];
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
	export class DraftEstimate {
	    estimate: metering.Estimate;
	    warnings: string[];
	    blocked: boolean;
	    defaultRateNote?: string;
	    refusal?: ErrorInfo;
	    refusalWarning?: string;
	
	    static createFrom(source: any = {}) {
	        return new DraftEstimate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.estimate = this.convertValues(source["estimate"], metering.Estimate);
	        this.warnings = source["warnings"];
	        this.blocked = source["blocked"];
	        this.defaultRateNote = source["defaultRateNote"];
	        this.refusal = this.convertValues(source["refusal"], ErrorInfo);
	        this.refusalWarning = source["refusalWarning"];
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
	
	export class ReplacedReply {
	    uid: string;
	    status: string;
	    model: string;
	    // Go type: time
	    createdAt: any;
	    writtenBy?: Author;
	    charge: Charge;
	    line: string;
	
	    static createFrom(source: any = {}) {
	        return new ReplacedReply(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.uid = source["uid"];
	        this.status = source["status"];
	        this.model = source["model"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.writtenBy = this.convertValues(source["writtenBy"], Author);
	        this.charge = this.convertValues(source["charge"], Charge);
	        this.line = source["line"];
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
	export class Replaced {
	    amount: string;
	    count: number;
	    replies: ReplacedReply[];
	    free: boolean;
	    summary: string;
	    notListed: string;
	
	    static createFrom(source: any = {}) {
	        return new Replaced(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.amount = source["amount"];
	        this.count = source["count"];
	        this.replies = this.convertValues(source["replies"], ReplacedReply);
	        this.free = source["free"];
	        this.summary = source["summary"];
	        this.notListed = source["notListed"];
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
	export class Message {
	    id: number;
	    uid: string;
	    conversationId: number;
	    role: string;
	    content: string;
	    status: string;
	    provider: string;
	    model: string;
	    error: string;
	    // Go type: time
	    createdAt: any;
	    charge?: Charge;
	    finishReason: string;
	    outputBudget: number;
	    note: string;
	    statusNote: string;
	    writtenBy?: Author;
	    replaced?: Replaced;
	
	    static createFrom(source: any = {}) {
	        return new Message(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.uid = source["uid"];
	        this.conversationId = source["conversationId"];
	        this.role = source["role"];
	        this.content = source["content"];
	        this.status = source["status"];
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.error = source["error"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.charge = this.convertValues(source["charge"], Charge);
	        this.finishReason = source["finishReason"];
	        this.outputBudget = source["outputBudget"];
	        this.note = source["note"];
	        this.statusNote = source["statusNote"];
	        this.writtenBy = this.convertValues(source["writtenBy"], Author);
	        this.replaced = this.convertValues(source["replaced"], Replaced);
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
	export class MessagesState {
	    // Go type: time
	    updatedAt: any;
	    count: number;
	    lastId: number;
	    lastStatus: string;
	    rateVersion: number;
	
	    static createFrom(source: any = {}) {
	        return new MessagesState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.count = source["count"];
	        this.lastId = source["lastId"];
	        this.lastStatus = source["lastStatus"];
	        this.rateVersion = source["rateVersion"];
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
	export class MessagePage {
	    messages: Message[];
	    earlier: boolean;
	    state: MessagesState;
	
	    static createFrom(source: any = {}) {
	        return new MessagePage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.messages = this.convertValues(source["messages"], Message);
	        this.earlier = source["earlier"];
	        this.state = this.convertValues(source["state"], MessagesState);
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
	
	export class ReasoningSupport {
	    control: string;
	    thinkingCharged?: string;
	    off: boolean;
	    offEffort?: string;
	    low: number;
	    medium: number;
	    high: number;
	    fixedSampling: boolean;
	    noSampling?: boolean;
	    takes?: string[];
	    thinkingLevel?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ReasoningSupport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.control = source["control"];
	        this.thinkingCharged = source["thinkingCharged"];
	        this.off = source["off"];
	        this.offEffort = source["offEffort"];
	        this.low = source["low"];
	        this.medium = source["medium"];
	        this.high = source["high"];
	        this.fixedSampling = source["fixedSampling"];
	        this.noSampling = source["noSampling"];
	        this.takes = source["takes"];
	        this.thinkingLevel = source["thinkingLevel"];
	    }
	}
	export class ModelOption {
	    provider: string;
	    rateProvider: string;
	    local: boolean;
	    model: string;
	    input: string;
	    output: string;
	    cacheRead: string;
	    reasoning: string;
	    free: boolean;
	    defaultRate: boolean;
	    ratedAs?: string;
	    defaultMaxOutput: number;
	    reasoningSupport?: ReasoningSupport;
	    outputCeiling?: number;
	
	    static createFrom(source: any = {}) {
	        return new ModelOption(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = source["provider"];
	        this.rateProvider = source["rateProvider"];
	        this.local = source["local"];
	        this.model = source["model"];
	        this.input = source["input"];
	        this.output = source["output"];
	        this.cacheRead = source["cacheRead"];
	        this.reasoning = source["reasoning"];
	        this.free = source["free"];
	        this.defaultRate = source["defaultRate"];
	        this.ratedAs = source["ratedAs"];
	        this.defaultMaxOutput = source["defaultMaxOutput"];
	        this.reasoningSupport = this.convertValues(source["reasoningSupport"], ReasoningSupport);
	        this.outputCeiling = source["outputCeiling"];
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
	
	export class RateRow {
	    provider: string;
	    model: string;
	
	    static createFrom(source: any = {}) {
	        return new RateRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = source["provider"];
	        this.model = source["model"];
	    }
	}
	export class ReadyStep {
	    id: string;
	    done: boolean;
	    optional: boolean;
	    warning: boolean;
	    title: string;
	    detail: string;
	    rows?: RateRow[];
	    // Go type: time
	    retryAt?: any;
	
	    static createFrom(source: any = {}) {
	        return new ReadyStep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.done = source["done"];
	        this.optional = source["optional"];
	        this.warning = source["warning"];
	        this.title = source["title"];
	        this.detail = source["detail"];
	        this.rows = this.convertValues(source["rows"], RateRow);
	        this.retryAt = this.convertValues(source["retryAt"], null);
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
	export class Readiness {
	    ready: boolean;
	    admin: boolean;
	    payerName: string;
	    steps: ReadyStep[];
	    heading: string;
	    summary: string;
	
	    static createFrom(source: any = {}) {
	        return new Readiness(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ready = source["ready"];
	        this.admin = source["admin"];
	        this.payerName = source["payerName"];
	        this.steps = this.convertValues(source["steps"], ReadyStep);
	        this.heading = source["heading"];
	        this.summary = source["summary"];
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

export namespace core {
	
	export class BackupSummary {
	    file: string;
	    sizeBytes: number;
	    // Go type: time
	    modified: any;
	    workspace: string;
	    members: number;
	    transfers: number;
	    // Go type: time
	    lastActivity?: any;
	    poolBalance: string;
	    timeZone?: string;
	    keysToEnter?: string[];
	    keysNote?: string;
	    otherWorkspace?: boolean;
	    currentWorkspace?: string;
	    workspaceNote?: string;
	
	    static createFrom(source: any = {}) {
	        return new BackupSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.sizeBytes = source["sizeBytes"];
	        this.modified = this.convertValues(source["modified"], null);
	        this.workspace = source["workspace"];
	        this.members = source["members"];
	        this.transfers = source["transfers"];
	        this.lastActivity = this.convertValues(source["lastActivity"], null);
	        this.poolBalance = source["poolBalance"];
	        this.timeZone = source["timeZone"];
	        this.keysToEnter = source["keysToEnter"];
	        this.keysNote = source["keysNote"];
	        this.otherWorkspace = source["otherWorkspace"];
	        this.currentWorkspace = source["currentWorkspace"];
	        this.workspaceNote = source["workspaceNote"];
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
	export class DatabaseCheck {
	    file: string;
	    bytes: number;
	    ok: boolean;
	    problem?: string;
	
	    static createFrom(source: any = {}) {
	        return new DatabaseCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.bytes = source["bytes"];
	        this.ok = source["ok"];
	        this.problem = source["problem"];
	    }
	}
	export class Restore {
	    id: string;
	    // Go type: time
	    stagedAt: any;
	    stagedBy: string;
	    previous: string;
	    kept: string;
	    backup: BackupSummary;
	
	    static createFrom(source: any = {}) {
	        return new Restore(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.stagedAt = this.convertValues(source["stagedAt"], null);
	        this.stagedBy = source["stagedBy"];
	        this.previous = source["previous"];
	        this.kept = source["kept"];
	        this.backup = this.convertValues(source["backup"], BackupSummary);
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
	export class RestoreStatus {
	    pending?: Restore;
	    finished?: Restore;
	
	    static createFrom(source: any = {}) {
	        return new RestoreStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pending = this.convertValues(source["pending"], Restore);
	        this.finished = this.convertValues(source["finished"], Restore);
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
	export class TopUpReceipt {
	    transfer: ledger.Transfer;
	    // Go type: decimal
	    credits: any;
	    packageId?: number;
	    price: string;
	    priceMinor: number;
	    currency: string;
	    taxRate: string;
	    // Go type: decimal
	    debtRepaid: any;
	    // Go type: time
	    lotExpiresAt?: any;
	    invoice: string;
	    paid: string;
	    summary: string;
	
	    static createFrom(source: any = {}) {
	        return new TopUpReceipt(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.transfer = this.convertValues(source["transfer"], ledger.Transfer);
	        this.credits = this.convertValues(source["credits"], null);
	        this.packageId = source["packageId"];
	        this.price = source["price"];
	        this.priceMinor = source["priceMinor"];
	        this.currency = source["currency"];
	        this.taxRate = source["taxRate"];
	        this.debtRepaid = this.convertValues(source["debtRepaid"], null);
	        this.lotExpiresAt = this.convertValues(source["lotExpiresAt"], null);
	        this.invoice = source["invoice"];
	        this.paid = source["paid"];
	        this.summary = source["summary"];
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

export namespace gateway {
	
	export class Config {
	    addr: string;
	    allowRemote: boolean;
	    enabled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Config(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.addr = source["addr"];
	        this.allowRemote = source["allowRemote"];
	        this.enabled = source["enabled"];
	    }
	}
	export class Key {
	    id: number;
	    hint: string;
	    userId: number;
	    member: string;
	    name: string;
	    status: string;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    lastUsedAt?: any;
	    // Go type: time
	    revokedAt?: any;
	    requests: number;
	    freeRequests: number;
	    charged: string;
	    usage: string;
	
	    static createFrom(source: any = {}) {
	        return new Key(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.hint = source["hint"];
	        this.userId = source["userId"];
	        this.member = source["member"];
	        this.name = source["name"];
	        this.status = source["status"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.lastUsedAt = this.convertValues(source["lastUsedAt"], null);
	        this.revokedAt = this.convertValues(source["revokedAt"], null);
	        this.requests = source["requests"];
	        this.freeRequests = source["freeRequests"];
	        this.charged = source["charged"];
	        this.usage = source["usage"];
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
	export class NewKey {
	    id: number;
	    hint: string;
	    userId: number;
	    member: string;
	    name: string;
	    status: string;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    lastUsedAt?: any;
	    // Go type: time
	    revokedAt?: any;
	    requests: number;
	    freeRequests: number;
	    charged: string;
	    usage: string;
	    secret: string;
	
	    static createFrom(source: any = {}) {
	        return new NewKey(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.hint = source["hint"];
	        this.userId = source["userId"];
	        this.member = source["member"];
	        this.name = source["name"];
	        this.status = source["status"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.lastUsedAt = this.convertValues(source["lastUsedAt"], null);
	        this.revokedAt = this.convertValues(source["revokedAt"], null);
	        this.requests = source["requests"];
	        this.freeRequests = source["freeRequests"];
	        this.charged = source["charged"];
	        this.usage = source["usage"];
	        this.secret = source["secret"];
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
	export class Status {
	    running: boolean;
	    addr: string;
	    baseUrl: string;
	    remote: boolean;
	    warning: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.addr = source["addr"];
	        this.baseUrl = source["baseUrl"];
	        this.remote = source["remote"];
	        this.warning = source["warning"];
	        this.error = source["error"];
	    }
	}

}

export namespace ledger {
	
	export class Lot {
	    // Go type: decimal
	    amount: any;
	    // Go type: time
	    expiresAt?: any;
	
	    static createFrom(source: any = {}) {
	        return new Lot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.amount = this.convertValues(source["amount"], null);
	        this.expiresAt = this.convertValues(source["expiresAt"], null);
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
	export class Policy {
	    kind: string;
	    // Go type: decimal
	    limit: any;
	
	    static createFrom(source: any = {}) {
	        return new Policy(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.limit = this.convertValues(source["limit"], null);
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
	export class Transfer {
	    id: number;
	    requestId: string;
	    leg: number;
	    op: string;
	    kind: string;
	    from: string;
	    to: string;
	    // Go type: decimal
	    amount: any;
	    holdId?: number;
	    // Go type: decimal
	    debtRepaid: any;
	    userId?: number;
	    departmentId?: number;
	    model?: string;
	    source?: string;
	    conversationId?: number;
	    meta: number[];
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    expiresAt?: any;
	    status?: string;
	
	    static createFrom(source: any = {}) {
	        return new Transfer(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.requestId = source["requestId"];
	        this.leg = source["leg"];
	        this.op = source["op"];
	        this.kind = source["kind"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.amount = this.convertValues(source["amount"], null);
	        this.holdId = source["holdId"];
	        this.debtRepaid = this.convertValues(source["debtRepaid"], null);
	        this.userId = source["userId"];
	        this.departmentId = source["departmentId"];
	        this.model = source["model"];
	        this.source = source["source"];
	        this.conversationId = source["conversationId"];
	        this.meta = source["meta"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.expiresAt = this.convertValues(source["expiresAt"], null);
	        this.status = source["status"];
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
	export class Balance {
	    account: string;
	    // Go type: decimal
	    balance: any;
	    // Go type: decimal
	    pending: any;
	    // Go type: decimal
	    available: any;
	    // Go type: decimal
	    movable: any;
	    // Go type: decimal
	    lifetimeUsed: any;
	    lastTransfer?: Transfer;
	    policy: Policy;
	    lots: Lot[];
	
	    static createFrom(source: any = {}) {
	        return new Balance(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.balance = this.convertValues(source["balance"], null);
	        this.pending = this.convertValues(source["pending"], null);
	        this.available = this.convertValues(source["available"], null);
	        this.movable = this.convertValues(source["movable"], null);
	        this.lifetimeUsed = this.convertValues(source["lifetimeUsed"], null);
	        this.lastTransfer = this.convertValues(source["lastTransfer"], Transfer);
	        this.policy = this.convertValues(source["policy"], Policy);
	        this.lots = this.convertValues(source["lots"], Lot);
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
	export class CreditValue {
	    amount: string;
	    currency: string;
	
	    static createFrom(source: any = {}) {
	        return new CreditValue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.amount = source["amount"];
	        this.currency = source["currency"];
	    }
	}
	export class CreditValueChange {
	    amount: string;
	    currency: string;
	    unchanged: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CreditValueChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.amount = source["amount"];
	        this.currency = source["currency"];
	        this.unchanged = source["unchanged"];
	    }
	}
	export class EmptyHistory {
	    title: string;
	    description: string;
	
	    static createFrom(source: any = {}) {
	        return new EmptyHistory(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.description = source["description"];
	    }
	}
	
	export class Package {
	    id: number;
	    name: string;
	    // Go type: decimal
	    credits: any;
	    price: string;
	    priceMinor: number;
	    currency: string;
	    discount: string;
	    active: boolean;
	    sort: number;
	
	    static createFrom(source: any = {}) {
	        return new Package(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.credits = this.convertValues(source["credits"], null);
	        this.price = source["price"];
	        this.priceMinor = source["priceMinor"];
	        this.currency = source["currency"];
	        this.discount = source["discount"];
	        this.active = source["active"];
	        this.sort = source["sort"];
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

export namespace metering {
	
	export class Line {
	    amount: string;
	    kind: string;
	    quantity: number;
	    rate: string;
	    rateSource: string;
	
	    static createFrom(source: any = {}) {
	        return new Line(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.amount = source["amount"];
	        this.kind = source["kind"];
	        this.quantity = source["quantity"];
	        this.rate = source["rate"];
	        this.rateSource = source["rateSource"];
	    }
	}
	export class Breakdown {
	    estimated: boolean;
	    inputReported?: boolean;
	    reasoningHidden?: boolean;
	    lines: Line[];
	    model: string;
	    provider: string;
	    rateModel?: string;
	    rateVersion: number;
	    total: string;
	    totalMinor: number;
	
	    static createFrom(source: any = {}) {
	        return new Breakdown(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.estimated = source["estimated"];
	        this.inputReported = source["inputReported"];
	        this.reasoningHidden = source["reasoningHidden"];
	        this.lines = this.convertValues(source["lines"], Line);
	        this.model = source["model"];
	        this.provider = source["provider"];
	        this.rateModel = source["rateModel"];
	        this.rateVersion = source["rateVersion"];
	        this.total = source["total"];
	        this.totalMinor = source["totalMinor"];
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
	export class Estimate {
	    encoding: string;
	    exact: boolean;
	    family: string;
	    free: boolean;
	    high: string;
	    highMinor: number;
	    highThinking: boolean;
	    low: string;
	    lowMinor: number;
	    maxOutputTokens: number;
	    model: string;
	    promptTokens: number;
	    provider: string;
	    rateVersion: number;
	
	    static createFrom(source: any = {}) {
	        return new Estimate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.encoding = source["encoding"];
	        this.exact = source["exact"];
	        this.family = source["family"];
	        this.free = source["free"];
	        this.high = source["high"];
	        this.highMinor = source["highMinor"];
	        this.highThinking = source["highThinking"];
	        this.low = source["low"];
	        this.lowMinor = source["lowMinor"];
	        this.maxOutputTokens = source["maxOutputTokens"];
	        this.model = source["model"];
	        this.promptTokens = source["promptTokens"];
	        this.provider = source["provider"];
	        this.rateVersion = source["rateVersion"];
	    }
	}

}

export namespace prefs {
	
	export class Change {
	    key: string;
	    value: string;
	    unchanged: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Change(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.value = source["value"];
	        this.unchanged = source["unchanged"];
	    }
	}
	export class Key {
	    name: string;
	    description: string;
	    adminOnly: boolean;
	    choices?: string[];
	    minLen?: number;
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
	        this.minLen = source["minLen"];
	        this.maxLen = source["maxLen"];
	    }
	}

}

export namespace providers {
	
	export class Input {
	    name: string;
	    kind: string;
	    baseUrl: string;
	    apiKey: string;
	    clearKey: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Input(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.baseUrl = source["baseUrl"];
	        this.apiKey = source["apiKey"];
	        this.clearKey = source["clearKey"];
	    }
	}
	export class ModelList {
	    models: string[];
	    stale: boolean;
	    checkedAt: string;
	    error: string;
	    offline: boolean;
	    incomplete: boolean;
	    fromCatalogue?: string[];
	    why?: string;
	    shown?: string;
	
	    static createFrom(source: any = {}) {
	        return new ModelList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.models = source["models"];
	        this.stale = source["stale"];
	        this.checkedAt = source["checkedAt"];
	        this.error = source["error"];
	        this.offline = source["offline"];
	        this.incomplete = source["incomplete"];
	        this.fromCatalogue = source["fromCatalogue"];
	        this.why = source["why"];
	        this.shown = source["shown"];
	    }
	}
	export class Preset {
	    id: string;
	    label: string;
	    kind: string;
	    baseUrl: string;
	    needKey: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Preset(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	        this.kind = source["kind"];
	        this.baseUrl = source["baseUrl"];
	        this.needKey = source["needKey"];
	    }
	}
	export class Provider {
	    id: number;
	    name: string;
	    kind: string;
	    baseUrl: string;
	    hasKey: boolean;
	    keyHint: string;
	    keyStore: string;
	    local: boolean;
	    createdAt: string;
	    updatedAt: string;
	    selfHosted: boolean;
	    redacted?: boolean;
	    notice?: string;
	    modelsError?: string;
	    keyError?: string;
	    noModels?: string;
	    catalogueError?: string;
	    unchanged?: boolean;
	    noticeCleared?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Provider(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.baseUrl = source["baseUrl"];
	        this.hasKey = source["hasKey"];
	        this.keyHint = source["keyHint"];
	        this.keyStore = source["keyStore"];
	        this.local = source["local"];
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	        this.selfHosted = source["selfHosted"];
	        this.redacted = source["redacted"];
	        this.notice = source["notice"];
	        this.modelsError = source["modelsError"];
	        this.keyError = source["keyError"];
	        this.noModels = source["noModels"];
	        this.catalogueError = source["catalogueError"];
	        this.unchanged = source["unchanged"];
	        this.noticeCleared = source["noticeCleared"];
	    }
	}
	export class TestResult {
	    ok: boolean;
	    message: string;
	    offline: boolean;
	    status: number;
	    models: number;
	    latencyMs: number;
	    catalogueError?: string;
	
	    static createFrom(source: any = {}) {
	        return new TestResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.message = source["message"];
	        this.offline = source["offline"];
	        this.status = source["status"];
	        this.models = source["models"];
	        this.latencyMs = source["latencyMs"];
	        this.catalogueError = source["catalogueError"];
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
	export class Edit {
	    provider?: string;
	    model?: string;
	    field: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new Edit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.field = source["field"];
	        this.value = source["value"];
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
	    edits?: Edit[];
	    baseVersion?: number;
	    reason?: string;
	
	    static createFrom(source: any = {}) {
	        return new Change(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.defaults = this.convertValues(source["defaults"], Defaults);
	        this.rows = this.convertValues(source["rows"], Row);
	        this.edits = this.convertValues(source["edits"], Edit);
	        this.baseVersion = source["baseVersion"];
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
	    defaultRate: boolean;
	    ratedAs?: string;
	
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
	        this.defaultRate = source["defaultRate"];
	        this.ratedAs = source["ratedAs"];
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
	    unchanged?: boolean;
	    appliedVersion?: number;
	    appliedInForce?: boolean;
	    modelsAddedOnly?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Table(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = this.convertValues(source["version"], VersionInfo);
	        this.defaults = this.convertValues(source["defaults"], Defaults);
	        this.providers = this.convertValues(source["providers"], ProviderModels);
	        this.unchanged = source["unchanged"];
	        this.appliedVersion = source["appliedVersion"];
	        this.appliedInForce = source["appliedInForce"];
	        this.modelsAddedOnly = source["modelsAddedOnly"];
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

export namespace reports {
	
	export class Anomaly {
	    kind: string;
	    key: string;
	    label: string;
	    day?: string;
	    id?: number;
	    amount: string;
	    median: string;
	    z: string;
	    method: string;
	
	    static createFrom(source: any = {}) {
	        return new Anomaly(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.key = source["key"];
	        this.label = source["label"];
	        this.day = source["day"];
	        this.id = source["id"];
	        this.amount = source["amount"];
	        this.median = source["median"];
	        this.z = source["z"];
	        this.method = source["method"];
	    }
	}
	export class Forecast {
	    method: string;
	    windowDays: number;
	    dailyMean: string;
	    dailyLow: string;
	    dailyHigh: string;
	    monthToDate: string;
	    monthEnd: string;
	    monthEndLow: string;
	    monthEndHigh: string;
	    remainingDays: number;
	    runOut: string;
	    runOutEarly: string;
	    runOutLate: string;
	    enough: boolean;
	    runOutNote?: string;
	
	    static createFrom(source: any = {}) {
	        return new Forecast(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.method = source["method"];
	        this.windowDays = source["windowDays"];
	        this.dailyMean = source["dailyMean"];
	        this.dailyLow = source["dailyLow"];
	        this.dailyHigh = source["dailyHigh"];
	        this.monthToDate = source["monthToDate"];
	        this.monthEnd = source["monthEnd"];
	        this.monthEndLow = source["monthEndLow"];
	        this.monthEndHigh = source["monthEndHigh"];
	        this.remainingDays = source["remainingDays"];
	        this.runOut = source["runOut"];
	        this.runOutEarly = source["runOutEarly"];
	        this.runOutLate = source["runOutLate"];
	        this.enough = source["enough"];
	        this.runOutNote = source["runOutNote"];
	    }
	}
	export class Point {
	    key: string;
	    label: string;
	    amount: string;
	    count: number;
	    id?: number;
	    model?: string;
	    provider?: string;
	    share: number;
	
	    static createFrom(source: any = {}) {
	        return new Point(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.label = source["label"];
	        this.amount = source["amount"];
	        this.count = source["count"];
	        this.id = source["id"];
	        this.model = source["model"];
	        this.provider = source["provider"];
	        this.share = source["share"];
	    }
	}
	export class LastTransaction {
	    id: number;
	    time: string;
	    type: string;
	    amount: string;
	    model: string;
	
	    static createFrom(source: any = {}) {
	        return new LastTransaction(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.time = source["time"];
	        this.type = source["type"];
	        this.amount = source["amount"];
	        this.model = source["model"];
	    }
	}
	export class Scope {
	    All: boolean;
	    UserID: number;
	
	    static createFrom(source: any = {}) {
	        return new Scope(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.All = source["All"];
	        this.UserID = source["UserID"];
	    }
	}
	export class Range {
	    from: string;
	    to: string;
	
	    static createFrom(source: any = {}) {
	        return new Range(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	    }
	}
	export class Dashboard {
	    range: Range;
	    timeZone: string;
	    today: string;
	    scope: Scope;
	    balance: string;
	    balanceAccount: string;
	    lifetimeUsed: string;
	    last?: LastTransaction;
	    total: string;
	    byDay: Point[];
	    byModel: Point[];
	    byMember: Point[];
	    byDepartment: Point[];
	    conversations: Point[];
	    forecast: Forecast;
	    anomalies: Anomaly[];
	
	    static createFrom(source: any = {}) {
	        return new Dashboard(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.range = this.convertValues(source["range"], Range);
	        this.timeZone = source["timeZone"];
	        this.today = source["today"];
	        this.scope = this.convertValues(source["scope"], Scope);
	        this.balance = source["balance"];
	        this.balanceAccount = source["balanceAccount"];
	        this.lifetimeUsed = source["lifetimeUsed"];
	        this.last = this.convertValues(source["last"], LastTransaction);
	        this.total = source["total"];
	        this.byDay = this.convertValues(source["byDay"], Point);
	        this.byModel = this.convertValues(source["byModel"], Point);
	        this.byMember = this.convertValues(source["byMember"], Point);
	        this.byDepartment = this.convertValues(source["byDepartment"], Point);
	        this.conversations = this.convertValues(source["conversations"], Point);
	        this.forecast = this.convertValues(source["forecast"], Forecast);
	        this.anomalies = this.convertValues(source["anomalies"], Anomaly);
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
	export class Filter {
	    types: string[];
	    userId: number;
	    departmentId: number;
	    model: string;
	    provider: string;
	    from: string;
	    to: string;
	    before: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new Filter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.types = source["types"];
	        this.userId = source["userId"];
	        this.departmentId = source["departmentId"];
	        this.model = source["model"];
	        this.provider = source["provider"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.before = source["before"];
	        this.limit = source["limit"];
	    }
	}
	
	
	export class Row {
	    id: number;
	    // Go type: time
	    time: any;
	    type: string;
	    op: string;
	    from: string;
	    to: string;
	    amount: string;
	    userId?: number;
	    member?: string;
	    departmentId?: number;
	    department?: string;
	    model?: string;
	    source?: string;
	    sourceLabel?: string;
	    conversationId?: number;
	    meta?: number[];
	    amountWord?: string;
	
	    static createFrom(source: any = {}) {
	        return new Row(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.time = this.convertValues(source["time"], null);
	        this.type = source["type"];
	        this.op = source["op"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.amount = source["amount"];
	        this.userId = source["userId"];
	        this.member = source["member"];
	        this.departmentId = source["departmentId"];
	        this.department = source["department"];
	        this.model = source["model"];
	        this.source = source["source"];
	        this.sourceLabel = source["sourceLabel"];
	        this.conversationId = source["conversationId"];
	        this.meta = source["meta"];
	        this.amountWord = source["amountWord"];
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
	export class Page {
	    items: Row[];
	    next: number;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Row);
	        this.next = source["next"];
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

export namespace statements {
	
	export class Line {
	    name: string;
	    amount: string;
	    count: number;
	    model?: string;
	    provider?: string;
	
	    static createFrom(source: any = {}) {
	        return new Line(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.amount = source["amount"];
	        this.count = source["count"];
	        this.model = source["model"];
	        this.provider = source["provider"];
	    }
	}
	export class Breakdown {
	    by: string;
	    heading: string;
	    columns: string[];
	    lines: Line[];
	    totalLabel: string;
	    total: string;
	    none: string;
	
	    static createFrom(source: any = {}) {
	        return new Breakdown(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.by = source["by"];
	        this.heading = source["heading"];
	        this.columns = source["columns"];
	        this.lines = this.convertValues(source["lines"], Line);
	        this.totalLabel = source["totalLabel"];
	        this.total = source["total"];
	        this.none = source["none"];
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
	export class Request {
	    month: string;
	    departmentId: number;
	    userId: number;
	
	    static createFrom(source: any = {}) {
	        return new Request(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.month = source["month"];
	        this.departmentId = source["departmentId"];
	        this.userId = source["userId"];
	    }
	}
	export class ExportRequest {
	    kind: string;
	    statement: Request;
	    filter: reports.Filter;
	    invoice: string;
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new ExportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.statement = this.convertValues(source["statement"], Request);
	        this.filter = this.convertValues(source["filter"], reports.Filter);
	        this.invoice = source["invoice"];
	        this.path = source["path"];
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
	export class Party {
	    name: string;
	    address: string;
	    taxId: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new Party(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.address = source["address"];
	        this.taxId = source["taxId"];
	        this.email = source["email"];
	    }
	}
	export class Invoice {
	    id: number;
	    number: string;
	    kind: string;
	    transferId?: number;
	    corrects?: string;
	    issueDate: string;
	    seller: Party;
	    buyer: Party;
	    description: string;
	    credits: string;
	    net: string;
	    taxRate: string;
	    tax: string;
	    gross: string;
	    currency: string;
	    reason?: string;
	
	    static createFrom(source: any = {}) {
	        return new Invoice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.number = source["number"];
	        this.kind = source["kind"];
	        this.transferId = source["transferId"];
	        this.corrects = source["corrects"];
	        this.issueDate = source["issueDate"];
	        this.seller = this.convertValues(source["seller"], Party);
	        this.buyer = this.convertValues(source["buyer"], Party);
	        this.description = source["description"];
	        this.credits = source["credits"];
	        this.net = source["net"];
	        this.taxRate = source["taxRate"];
	        this.tax = source["tax"];
	        this.gross = source["gross"];
	        this.currency = source["currency"];
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
	export class InvoicePage {
	    items: Invoice[];
	    next: number;
	
	    static createFrom(source: any = {}) {
	        return new InvoicePage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Invoice);
	        this.next = source["next"];
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
	export class InvoicesState {
	    lastId: number;
	    pending: number;
	
	    static createFrom(source: any = {}) {
	        return new InvoicesState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lastId = source["lastId"];
	        this.pending = source["pending"];
	    }
	}
	export class JobStatus {
	    id: string;
	    kind: string;
	    path: string;
	    state: string;
	    done: number;
	    total: number;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new JobStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.path = source["path"];
	        this.state = source["state"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.error = source["error"];
	    }
	}
	
	
	
	export class SummaryRow {
	    key: string;
	    label: string;
	    amount: string;
	    balance: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SummaryRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.label = source["label"];
	        this.amount = source["amount"];
	        this.balance = source["balance"];
	    }
	}
	export class Statement {
	    month: string;
	    scope: string;
	    scopeName: string;
	    accountName: string;
	    account: string;
	    opening: string;
	    topUps: string;
	    usage: string;
	    refunds: string;
	    transfersIn: string;
	    transfersOut: string;
	    adjustments: string;
	    expiry: string;
	    closing: string;
	    lines: number;
	    summary: SummaryRow[];
	    usageByModel: Line[];
	    usageByCostCentre: Line[];
	    breakdowns: Breakdown[];
	    attributed?: Line[];
	    attributedTotal?: string;
	    attributedUsage?: Breakdown;
	    accountLeftOut?: boolean;
	    message?: string;
	    generated: string;
	    timeZone: string;
	
	    static createFrom(source: any = {}) {
	        return new Statement(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.month = source["month"];
	        this.scope = source["scope"];
	        this.scopeName = source["scopeName"];
	        this.accountName = source["accountName"];
	        this.account = source["account"];
	        this.opening = source["opening"];
	        this.topUps = source["topUps"];
	        this.usage = source["usage"];
	        this.refunds = source["refunds"];
	        this.transfersIn = source["transfersIn"];
	        this.transfersOut = source["transfersOut"];
	        this.adjustments = source["adjustments"];
	        this.expiry = source["expiry"];
	        this.closing = source["closing"];
	        this.lines = source["lines"];
	        this.summary = this.convertValues(source["summary"], SummaryRow);
	        this.usageByModel = this.convertValues(source["usageByModel"], Line);
	        this.usageByCostCentre = this.convertValues(source["usageByCostCentre"], Line);
	        this.breakdowns = this.convertValues(source["breakdowns"], Breakdown);
	        this.attributed = this.convertValues(source["attributed"], Line);
	        this.attributedTotal = source["attributedTotal"];
	        this.attributedUsage = this.convertValues(source["attributedUsage"], Breakdown);
	        this.accountLeftOut = source["accountLeftOut"];
	        this.message = source["message"];
	        this.generated = source["generated"];
	        this.timeZone = source["timeZone"];
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

export namespace team {
	
	export class AlertSettings {
	    absolute: string[];
	    percent: string[];
	    depleted: boolean;
	    desktop: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AlertSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.absolute = source["absolute"];
	        this.percent = source["percent"];
	        this.depleted = source["depleted"];
	        this.desktop = source["desktop"];
	    }
	}
	export class AlertSettingsChange {
	    absolute: string[];
	    percent: string[];
	    depleted: boolean;
	    desktop: boolean;
	    unchanged: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AlertSettingsChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.absolute = source["absolute"];
	        this.percent = source["percent"];
	        this.depleted = source["depleted"];
	        this.desktop = source["desktop"];
	        this.unchanged = source["unchanged"];
	    }
	}
	export class AuditEntry {
	    id: number;
	    // Go type: time
	    at: any;
	    actorId: number;
	    actorName: string;
	    action: string;
	    target: string;
	    targetName: string;
	    before: number[];
	    after: number[];
	
	    static createFrom(source: any = {}) {
	        return new AuditEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = this.convertValues(source["at"], null);
	        this.actorId = source["actorId"];
	        this.actorName = source["actorName"];
	        this.action = source["action"];
	        this.target = source["target"];
	        this.targetName = source["targetName"];
	        this.before = source["before"];
	        this.after = source["after"];
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
	export class AuditPage {
	    items: AuditEntry[];
	    next: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], AuditEntry);
	        this.next = source["next"];
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
	export class AuditTarget {
	    target: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditTarget(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target = source["target"];
	        this.name = source["name"];
	    }
	}
	export class AutoRecharge {
	    account: string;
	    threshold: string;
	    amount: string;
	    monthlyCap: string;
	    enabled: boolean;
	    thisMonth: string;
	
	    static createFrom(source: any = {}) {
	        return new AutoRecharge(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.threshold = source["threshold"];
	        this.amount = source["amount"];
	        this.monthlyCap = source["monthlyCap"];
	        this.enabled = source["enabled"];
	        this.thisMonth = source["thisMonth"];
	    }
	}
	export class AutoRechargeChange {
	    account: string;
	    threshold: string;
	    amount: string;
	    monthlyCap: string;
	    enabled: boolean;
	    thisMonth: string;
	    unchanged: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AutoRechargeChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.threshold = source["threshold"];
	        this.amount = source["amount"];
	        this.monthlyCap = source["monthlyCap"];
	        this.enabled = source["enabled"];
	        this.thisMonth = source["thisMonth"];
	        this.unchanged = source["unchanged"];
	    }
	}
	export class Department {
	    id: number;
	    name: string;
	    account: string;
	    budget: string;
	    overdraft: string;
	    balance: string;
	    available: string;
	    members: number;
	    archived: boolean;
	    // Go type: time
	    createdAt: any;
	    accountName: string;
	    accountPhrase: string;
	
	    static createFrom(source: any = {}) {
	        return new Department(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.account = source["account"];
	        this.budget = source["budget"];
	        this.overdraft = source["overdraft"];
	        this.balance = source["balance"];
	        this.available = source["available"];
	        this.members = source["members"];
	        this.archived = source["archived"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.accountName = source["accountName"];
	        this.accountPhrase = source["accountPhrase"];
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
	export class DepartmentChange {
	    department: Department;
	    unchanged: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DepartmentChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.department = this.convertValues(source["department"], Department);
	        this.unchanged = source["unchanged"];
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
	export class DepartmentInput {
	    name: string;
	    overdraft: string;
	    budget: string;
	
	    static createFrom(source: any = {}) {
	        return new DepartmentInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.overdraft = source["overdraft"];
	        this.budget = source["budget"];
	    }
	}
	export class GiveTarget {
	    account: string;
	    kind: string;
	    name: string;
	    phrase: string;
	
	    static createFrom(source: any = {}) {
	        return new GiveTarget(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.kind = source["kind"];
	        this.name = source["name"];
	        this.phrase = source["phrase"];
	    }
	}
	export class GiveWords {
	    line: string;
	    noAmount: string;
	
	    static createFrom(source: any = {}) {
	        return new GiveWords(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.noAmount = source["noAmount"];
	    }
	}
	export class Limit {
	    userId: number;
	    kind: string;
	    model: string;
	    period: string;
	    amount: string;
	    note?: string;
	
	    static createFrom(source: any = {}) {
	        return new Limit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.userId = source["userId"];
	        this.kind = source["kind"];
	        this.model = source["model"];
	        this.period = source["period"];
	        this.amount = source["amount"];
	        this.note = source["note"];
	    }
	}
	export class LimitChange {
	    userId: number;
	    kind: string;
	    model: string;
	    period: string;
	    amount: string;
	    note?: string;
	    unchanged: boolean;
	
	    static createFrom(source: any = {}) {
	        return new LimitChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.userId = source["userId"];
	        this.kind = source["kind"];
	        this.model = source["model"];
	        this.period = source["period"];
	        this.amount = source["amount"];
	        this.note = source["note"];
	        this.unchanged = source["unchanged"];
	    }
	}
	export class LimitError {
	    limit: string;
	    model?: string;
	    period?: string;
	    amount: string;
	    used: string;
	    requested: string;
	    // Go type: time
	    resetsAt: any;
	    // Go type: time
	    retryAt: any;
	    timeZone: string;
	    prompt?: string;
	
	    static createFrom(source: any = {}) {
	        return new LimitError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.limit = source["limit"];
	        this.model = source["model"];
	        this.period = source["period"];
	        this.amount = source["amount"];
	        this.used = source["used"];
	        this.requested = source["requested"];
	        this.resetsAt = this.convertValues(source["resetsAt"], null);
	        this.retryAt = this.convertValues(source["retryAt"], null);
	        this.timeZone = source["timeZone"];
	        this.prompt = source["prompt"];
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
	export class LimitStatus {
	    userId: number;
	    kind: string;
	    model: string;
	    period: string;
	    amount: string;
	    note?: string;
	    used: string;
	    pending: string;
	    remaining: string;
	    // Go type: time
	    resetsAt: any;
	    timeZone: string;
	    reached?: string;
	    resetFreesRoom: boolean;
	
	    static createFrom(source: any = {}) {
	        return new LimitStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.userId = source["userId"];
	        this.kind = source["kind"];
	        this.model = source["model"];
	        this.period = source["period"];
	        this.amount = source["amount"];
	        this.note = source["note"];
	        this.used = source["used"];
	        this.pending = source["pending"];
	        this.remaining = source["remaining"];
	        this.resetsAt = this.convertValues(source["resetsAt"], null);
	        this.timeZone = source["timeZone"];
	        this.reached = source["reached"];
	        this.resetFreesRoom = source["resetFreesRoom"];
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
	export class Member {
	    id: number;
	    name: string;
	    displayName: string;
	    role: string;
	    secretKind: string;
	    status: string;
	    funding: string;
	    departmentId: number;
	    minBalance: string;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    removedAt?: any;
	
	    static createFrom(source: any = {}) {
	        return new Member(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.displayName = source["displayName"];
	        this.role = source["role"];
	        this.secretKind = source["secretKind"];
	        this.status = source["status"];
	        this.funding = source["funding"];
	        this.departmentId = source["departmentId"];
	        this.minBalance = source["minBalance"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.removedAt = this.convertValues(source["removedAt"], null);
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
	export class WalletCredits {
	    account: string;
	    balance: string;
	    returned: string;
	    left: string;
	    transferId?: number;
	
	    static createFrom(source: any = {}) {
	        return new WalletCredits(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.balance = source["balance"];
	        this.returned = source["returned"];
	        this.left = source["left"];
	        this.transferId = source["transferId"];
	    }
	}
	export class MemberChange {
	    member: Member;
	    wallet?: WalletCredits;
	    unchanged: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MemberChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.member = this.convertValues(source["member"], Member);
	        this.wallet = this.convertValues(source["wallet"], WalletCredits);
	        this.unchanged = source["unchanged"];
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
	export class MemberUpdate {
	    displayName: string;
	    role: string;
	    funding: string;
	    departmentId: number;
	    minBalance: string;
	
	    static createFrom(source: any = {}) {
	        return new MemberUpdate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.displayName = source["displayName"];
	        this.role = source["role"];
	        this.funding = source["funding"];
	        this.departmentId = source["departmentId"];
	        this.minBalance = source["minBalance"];
	    }
	}
	export class MoveRequest {
	    id: string;
	    from: number;
	    to: number;
	    amount: string;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new MoveRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.amount = source["amount"];
	        this.note = source["note"];
	    }
	}
	export class NewMember {
	    name: string;
	    displayName: string;
	    role: string;
	    secretKind: string;
	    secret: string;
	    funding: string;
	    departmentId: number;
	    minBalance: string;
	
	    static createFrom(source: any = {}) {
	        return new NewMember(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.displayName = source["displayName"];
	        this.role = source["role"];
	        this.secretKind = source["secretKind"];
	        this.secret = source["secret"];
	        this.funding = source["funding"];
	        this.departmentId = source["departmentId"];
	        this.minBalance = source["minBalance"];
	    }
	}
	export class Notification {
	    id: number;
	    // Go type: time
	    createdAt: any;
	    kind: string;
	    level: string;
	    account: string;
	    userId: number;
	    title: string;
	    message: string;
	    read: boolean;
	    desktop: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Notification(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.kind = source["kind"];
	        this.level = source["level"];
	        this.account = source["account"];
	        this.userId = source["userId"];
	        this.title = source["title"];
	        this.message = source["message"];
	        this.read = source["read"];
	        this.desktop = source["desktop"];
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
	export class NotificationPage {
	    items: Notification[];
	    next: number;
	
	    static createFrom(source: any = {}) {
	        return new NotificationPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Notification);
	        this.next = source["next"];
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
	export class PoolLines {
	    give: string;
	    settle: string;
	
	    static createFrom(source: any = {}) {
	        return new PoolLines(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.give = source["give"];
	        this.settle = source["settle"];
	    }
	}
	export class Preflight {
	    payerAccount: string;
	    departmentId: number;
	    estimate: string;
	    available: string;
	    exceedsBalance: boolean;
	    limit?: LimitError;
	    warnings: string[];
	
	    static createFrom(source: any = {}) {
	        return new Preflight(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.payerAccount = source["payerAccount"];
	        this.departmentId = source["departmentId"];
	        this.estimate = source["estimate"];
	        this.available = source["available"];
	        this.exceedsBalance = source["exceedsBalance"];
	        this.limit = this.convertValues(source["limit"], LimitError);
	        this.warnings = source["warnings"];
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
	export class Profile {
	    id: number;
	    name: string;
	    displayName: string;
	    secretKind: string;
	
	    static createFrom(source: any = {}) {
	        return new Profile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.displayName = source["displayName"];
	        this.secretKind = source["secretKind"];
	    }
	}
	export class SecretKind {
	    kind: string;
	    name: string;
	    label: string;
	    hint: string;
	    rule: string;
	
	    static createFrom(source: any = {}) {
	        return new SecretKind(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.name = source["name"];
	        this.label = source["label"];
	        this.hint = source["hint"];
	        this.rule = source["rule"];
	    }
	}
	export class TransferReceipt {
	    id: number;
	    requestId: string;
	    leg: number;
	    op: string;
	    kind: string;
	    from: string;
	    to: string;
	    // Go type: decimal
	    amount: any;
	    holdId?: number;
	    // Go type: decimal
	    debtRepaid: any;
	    userId?: number;
	    departmentId?: number;
	    model?: string;
	    source?: string;
	    conversationId?: number;
	    meta: number[];
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    expiresAt?: any;
	    status?: string;
	    summary: string;
	
	    static createFrom(source: any = {}) {
	        return new TransferReceipt(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.requestId = source["requestId"];
	        this.leg = source["leg"];
	        this.op = source["op"];
	        this.kind = source["kind"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.amount = this.convertValues(source["amount"], null);
	        this.holdId = source["holdId"];
	        this.debtRepaid = this.convertValues(source["debtRepaid"], null);
	        this.userId = source["userId"];
	        this.departmentId = source["departmentId"];
	        this.model = source["model"];
	        this.source = source["source"];
	        this.conversationId = source["conversationId"];
	        this.meta = source["meta"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.expiresAt = this.convertValues(source["expiresAt"], null);
	        this.status = source["status"];
	        this.summary = source["summary"];
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
	export class Wallet {
	    account: string;
	    userId: number;
	    name: string;
	    displayName: string;
	    status: string;
	    funding: string;
	    balance: string;
	    available: string;
	    returnable: string;
	    returnableOnRemoval: string;
	
	    static createFrom(source: any = {}) {
	        return new Wallet(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.userId = source["userId"];
	        this.name = source["name"];
	        this.displayName = source["displayName"];
	        this.status = source["status"];
	        this.funding = source["funding"];
	        this.balance = source["balance"];
	        this.available = source["available"];
	        this.returnable = source["returnable"];
	        this.returnableOnRemoval = source["returnableOnRemoval"];
	    }
	}
	
	export class Way {
	    Words: string;
	    API: string;
	
	    static createFrom(source: any = {}) {
	        return new Way(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Words = source["Words"];
	        this.API = source["API"];
	    }
	}
	export class Workspace {
	    name: string;
	    currency: string;
	    creditValue: string;
	    taxId: string;
	    address: string;
	    timeZone: string;
	    idleLockMinutes: number;
	    pricesIncludeTax: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Workspace(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.currency = source["currency"];
	        this.creditValue = source["creditValue"];
	        this.taxId = source["taxId"];
	        this.address = source["address"];
	        this.timeZone = source["timeZone"];
	        this.idleLockMinutes = source["idleLockMinutes"];
	        this.pricesIncludeTax = source["pricesIncludeTax"];
	    }
	}
	export class WorkspaceChange {
	    name: string;
	    currency: string;
	    creditValue: string;
	    taxId: string;
	    address: string;
	    timeZone: string;
	    idleLockMinutes: number;
	    pricesIncludeTax: boolean;
	    unchanged: boolean;
	
	    static createFrom(source: any = {}) {
	        return new WorkspaceChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.currency = source["currency"];
	        this.creditValue = source["creditValue"];
	        this.taxId = source["taxId"];
	        this.address = source["address"];
	        this.timeZone = source["timeZone"];
	        this.idleLockMinutes = source["idleLockMinutes"];
	        this.pricesIncludeTax = source["pricesIncludeTax"];
	        this.unchanged = source["unchanged"];
	    }
	}
	export class WorkspacePatch {
	    name?: string;
	    currency?: string;
	    creditValue?: string;
	    taxId?: string;
	    address?: string;
	    timeZone?: string;
	    idleLockMinutes?: number;
	    pricesIncludeTax?: boolean;
	    read?: Workspace;
	
	    static createFrom(source: any = {}) {
	        return new WorkspacePatch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.currency = source["currency"];
	        this.creditValue = source["creditValue"];
	        this.taxId = source["taxId"];
	        this.address = source["address"];
	        this.timeZone = source["timeZone"];
	        this.idleLockMinutes = source["idleLockMinutes"];
	        this.pricesIncludeTax = source["pricesIncludeTax"];
	        this.read = this.convertValues(source["read"], Workspace);
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
	export class WorkspaceSetup {
	    name: string;
	    currency: string;
	    creditValue: string;
	    taxId: string;
	    address: string;
	    timeZone: string;
	    idleLockMinutes: number;
	    pricesIncludeTax: boolean;
	    adminName: string;
	    adminDisplayName: string;
	    secretKind: string;
	    secret: string;
	
	    static createFrom(source: any = {}) {
	        return new WorkspaceSetup(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.currency = source["currency"];
	        this.creditValue = source["creditValue"];
	        this.taxId = source["taxId"];
	        this.address = source["address"];
	        this.timeZone = source["timeZone"];
	        this.idleLockMinutes = source["idleLockMinutes"];
	        this.pricesIncludeTax = source["pricesIncludeTax"];
	        this.adminName = source["adminName"];
	        this.adminDisplayName = source["adminDisplayName"];
	        this.secretKind = source["secretKind"];
	        this.secret = source["secret"];
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

