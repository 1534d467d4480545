import { lookup } from 'node:dns/promises';
import type { Agent } from 'node:http';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { parseAllowList, type Cidr } from '../../config/src/outbound-allow-list';

/** How ipaddr.js names the ranges a notice must not reach (anything but `unicast` is refused). */
const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local (cloud metadata)',
  uniqueLocal: 'private (IPv6 unique local)',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  carrierGradeNat: 'carrier-grade NAT',
  reserved: 'reserved',
};

/**
 * Where notice channels (webhook, WeCom, DingTalk) may post. Robot URLs come from unit imports, so without a
 * guard anyone who can import units could make the worker call loopback services, the intranet or the cloud
 * metadata endpoint (SSRF). Only public unicast addresses are reachable, unless OUTBOUND_ALLOW_HOSTS names the
 * host, the address or its CIDR (intranet robots, test receivers).
 *
 * Checked twice: at import (a clear 400 for the row), and at send time by request-filtering-agent on the address
 * the connection actually uses, which also defeats DNS rebinding (a name that resolved to a public address at
 * import and to 127.0.0.1 later). URL parsing (WHATWG) normalises hex / octal / integer IPv4 forms and IPv6.
 */
export class OutboundGuard {
  private readonly hosts = new Set<string>();
  private readonly cidrs: Cidr[] = [];
  private readonly allowIPAddressList: string[] = [];
  private readonly httpAgent: Agent;
  private readonly httpsAgent: Agent;

  constructor(allowList = '') {
    for (const entry of parseAllowList(allowList)) {
      if (entry.kind === 'host') this.hosts.add(entry.value);
      else {
        this.cidrs.push(entry.cidr);
        this.allowIPAddressList.push(entry.value);
      }
    }
    const options = { allowIPAddressList: this.allowIPAddressList };
    this.httpAgent = new RequestFilteringHttpAgent(options);
    this.httpsAgent = new RequestFilteringHttpsAgent(options);
  }

  /** The agent that refuses non-public addresses at connect time; hosts allowed by name connect unfiltered. */
  agentFor(url: URL): Agent | undefined {
    if (this.hosts.has(hostOf(url))) return undefined;
    return url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
  }

  /** Why `url` may not be posted to, or null. A host that does not resolve here is left to the send-time check. */
  async problemWith(text: string): Promise<string | null> {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return 'not a URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
    const host = hostOf(url);
    if (this.hosts.has(host)) return null;
    let addresses: string[];
    if (ipaddr.isValid(host)) addresses = [host];
    else {
      try {
        addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
      } catch {
        return null;
      }
    }
    for (const address of addresses) {
      const problem = this.addressProblem(address);
      if (problem) return host === address ? `${problem}` : `${host} resolves to ${problem}`;
    }
    return null;
  }

  private addressProblem(address: string): string | null {
    const ip = ipaddr.process(address);
    if (this.cidrs.some(([net, bits]) => net.kind() === ip.kind() && ip.match([net, bits] as never))) return null;
    const range = ip.range();
    if (range === 'unicast') return null;
    return `${ip.toString()}, a ${RANGE_NAMES[range] ?? range} address, which notices may reach only when OUTBOUND_ALLOW_HOSTS names it`;
  }
}

/** `[::1]` → `::1`; names lower-cased without a trailing dot. */
function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}
