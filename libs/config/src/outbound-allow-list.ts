import ipaddr from 'ipaddr.js';

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** One entry of OUTBOUND_ALLOW_HOSTS (see libs/notifications/src/outbound-guard.ts). */
export type AllowEntry = { kind: 'host'; value: string } | { kind: 'cidr'; value: string; cidr: Cidr };

/** `robot.intranet, 10.0.0.0/8, 127.0.0.1, ::1` → entries; throws naming the entry that is none of those. */
export function parseAllowList(text: string): AllowEntry[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((raw): AllowEntry => {
      const value = raw.toLowerCase().replace(/\.$/, '');
      if (value.includes('/')) {
        try {
          return { kind: 'cidr', value, cidr: ipaddr.parseCIDR(value) as Cidr };
        } catch {
          throw new Error(`"${raw}" is not a CIDR such as 10.0.0.0/8`);
        }
      }
      if (ipaddr.isValid(value)) {
        const ip = ipaddr.parse(value);
        return { kind: 'cidr', value, cidr: [ip, ip.kind() === 'ipv4' ? 32 : 128] };
      }
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(value))
        throw new Error(`"${raw}" is neither a host name, an IP address nor a CIDR`);
      return { kind: 'host', value };
    });
}
