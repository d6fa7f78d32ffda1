#!/usr/bin/env node
// Registers (or updates) the Discord application command `/fastly-tokens` for the chatops Worker.
// See docs/chatops.md, "Discord". Needs the network only when you run it; nothing in the Worker calls it.
//
//   DISCORD_APPLICATION_ID=… DISCORD_BOT_TOKEN=… node scripts/register-discord-commands.mjs
//   DISCORD_GUILD_ID=…      (optional) register in one server only: available at once, handy for trying it out
//   DISCORD_API_BASE_URL=…  (optional) default https://discord.com/api/v10
//   --print                 print the command JSON and exit, without any request
//
// POST creates the command or, when one with the same name exists, overwrites it; other commands of the
// application are left alone. The bot token is sent only in the Authorization header and never printed.

const COMMAND = {
  name: "fastly-tokens",
  type: 1, // CHAT_INPUT
  description: "Inspect and revoke Fastly API tokens",
  options: [
    {
      type: 3, // STRING: the Worker parses the same grammar as Slack's /fastly-tokens text
      name: "command",
      description: "help · whoami · list [mine|customer] [--stale N] · show ID · revoke ID · bulk-revoke IDs · audit",
      required: false,
      max_length: 1000,
    },
  ],
  // Servers only (0 = GUILD). Who may read or revoke is decided by the Worker's CHAT_POLICY, not here.
  contexts: [0],
  integration_types: [0],
};

async function main() {
  if (process.argv.includes("--print")) {
    console.log(JSON.stringify(COMMAND, null, 2));
    return;
  }
  const appId = process.env.DISCORD_APPLICATION_ID;
  const botToken = process.env.DISCORD_BOT_TOKEN;
  const guildId = process.env.DISCORD_GUILD_ID;
  const base = (process.env.DISCORD_API_BASE_URL || "https://discord.com/api/v10").replace(/\/+$/, "");
  const missing = [!appId && "DISCORD_APPLICATION_ID", !botToken && "DISCORD_BOT_TOKEN"].filter(Boolean);
  if (missing.length > 0) {
    console.error(`Set ${missing.join(" and ")} (Developer Portal → your application). Nothing was sent.`);
    process.exitCode = 2;
    return;
  }
  if (!/^\d+$/.test(appId) || (guildId && !/^\d+$/.test(guildId))) {
    console.error("DISCORD_APPLICATION_ID and DISCORD_GUILD_ID are numeric ids. Nothing was sent.");
    process.exitCode = 2;
    return;
  }
  const path = guildId ? `/applications/${appId}/guilds/${guildId}/commands` : `/applications/${appId}/commands`;
  const response = await fetch(base + path, {
    method: "POST",
    headers: { Authorization: `Bot ${botToken}`, "Content-Type": "application/json", "User-Agent": "fastly-token-webhooks (register-discord-commands)" },
    body: JSON.stringify(COMMAND),
  });
  const text = await response.text();
  if (!response.ok) {
    let reason = text.slice(0, 500);
    try {
      const body = JSON.parse(text);
      reason = `${body.message ?? "error"}${body.code !== undefined ? ` (code ${body.code})` : ""}`;
    } catch {}
    console.error(`Discord answered ${response.status}: ${reason}`);
    process.exitCode = 1;
    return;
  }
  const created = JSON.parse(text);
  const where = guildId ? `in server ${guildId} (available now)` : "globally (may take up to an hour to appear)";
  console.log(`Registered /${created.name} (id ${created.id}) ${where}.`);
}

await main();
