import { createInterface } from 'node:readline';
import type { TeamReport } from '../../report/definition.ts';
import type { ConsoleMessage, ConsolePlatform } from './console-platform.ts';
import type { ConsoleSession } from './console-session.ts';

const HELP = `Local chat. You act as one person of the team; the bot's messages to you and to the channel show up here.
  /people                   who is in the team (owners and leads)
  /as <person>              become someone else, e.g. /as owner-o1
  <text>                    a direct message to the bot (your answer, when you own one open section)
  """                       start and end a multi-line message
  /reply <id> [text]        reply in the thread of the bot's message <id> (e.g. a prompt): the answer to that section
  /edit <id> [text]         edit a message you typed (u1, u2…): stored as a new revision
  /form <id>                open the form of a prompt, prefilled; type the text, end with """
  /weekly-report <command>  status, preview, remind, publish, week 2024-W22, help
  /open                     open this week now and prompt every owner (whatever the day)
  /run                      run the scheduled jobs that are due now (open, remind, publish)
  /channel                  show the report channel
  /quit                     leave (data in memory is lost)`;

export interface ReplOptions {
  team: TeamReport;
  platform: ConsolePlatform;
  session: ConsoleSession;
  runDueJobs: () => Promise<void>;
  /** Opens the current week and prompts its owners now. */
  openNow: () => Promise<void>;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** Formats a bot message for the terminal: to you in full, to others as one line. */
export function formatConsoleMessage(message: ConsoleMessage, you: string, event: 'new' | 'updated'): string {
  const where = message.threadOf ? `${message.channel} ↳ ${message.threadOf}` : message.channel;
  const tag = `[${message.id}${event === 'updated' ? ', updated' : ''}] ${where}`;
  const body = message.file ? `📎 ${message.file.filename}\n${message.file.content}` : message.text;
  if (message.channel === `@${you}` || message.channel.startsWith('#')) {
    const form = message.answerForm ? `\n  (/reply ${message.id} … to answer, or /form ${message.id})` : '';
    return `\n${tag}\n${body}${form}\n`;
  }
  return `  → ${tag}: ${body.split('\n')[0]?.slice(0, 80) ?? ''}`;
}

/** The terminal chat of local mode (`npm start` without Slack or Feishu credentials). */
export async function runRepl(options: ReplOptions): Promise<void> {
  const { team, platform, session } = options;
  const output = options.output ?? process.stdout;
  const rl = createInterface({ input: options.input ?? process.stdin, output, terminal: false });
  const print = (text: string) => output.write(`${text}\n`);
  const prompt = () => output.write(`${session.you}> `);

  let block: { lines: string[]; done: (text: string) => Promise<void> } | null = null;
  const collect = (done: (text: string) => Promise<void>) => {
    block = { lines: [], done };
    print('(type the text; end with a line """)');
  };

  print(`weekly-report-bot — local chat for "${team.definition.name}" (${team.definition.id}). Type /help.`);
  print(`You are ${session.you}.`);
  prompt();

  for await (const line of rl) {
    try {
      if (block) {
        const current: { lines: string[]; done: (text: string) => Promise<void> } = block;
        if (line.trim() === '"""') {
          block = null;
          await current.done(current.lines.join('\n'));
        } else {
          current.lines.push(line);
          continue;
        }
      } else {
        const [word = '', ...rest] = line.trim().split(/\s+/);
        const argument = rest.slice(1).join(' ');
        switch (word) {
          case '':
            break;
          case '/help':
            print(HELP);
            break;
          case '/quit':
          case '/exit':
            rl.close();
            return;
          case '/people':
            for (const [key, person] of Object.entries(team.definition.people)) {
              const sections = team.definition.sections.filter((s) => s.owners.includes(key)).map((s) => s.id);
              const lead = team.definition.leads.includes(key) ? ' (lead)' : '';
              print(`  ${key}${lead}: ${person.name ?? ''} ${sections.length ? `— ${sections.join(', ')}` : ''}`);
            }
            break;
          case '/as':
            if (!rest[0] || !(rest[0] in team.definition.people)) print(`No such person "${rest[0] ?? ''}". /people lists them.`);
            else {
              session.you = rest[0];
              print(`You are ${session.you}.`);
              for (const m of platform.messages.filter((m) => m.channel === `@${session.you}`)) print(formatConsoleMessage(m, session.you, 'new'));
            }
            break;
          case '/reply':
          case '/edit':
          case '/form': {
            const id = rest[0];
            if (!id) {
              print(`${word} needs a message id`);
              break;
            }
            const act = (text: string) =>
              word === '/reply' ? session.say(text, id).then(() => {}) : word === '/edit' ? session.edit(id, text).then(() => {}) : session.submitForm(id, text).then(() => {});
            if (word === '/form') {
              const prefill = platform.messages.find((m) => m.id === id)?.answerForm?.prefill;
              if (prefill) print(`Prefilled:\n${prefill}`);
            }
            if (argument && word !== '/form') await act(argument);
            else collect(act);
            break;
          }
          case '/weekly-report':
            await session.command(rest.join(' '));
            break;
          case '/run':
            await options.runDueJobs();
            break;
          case '/open':
            await options.openNow();
            break;
          case '/channel':
            for (const m of platform.messages.filter((m) => m.channel.startsWith('#'))) print(formatConsoleMessage(m, session.you, 'new'));
            break;
          case '"""':
            collect((text) => session.say(text).then(() => {}));
            break;
          default:
            if (word.startsWith('/')) print(`Unknown command ${word}. /help lists them.`);
            else await session.say(line);
        }
      }
    } catch (error) {
      print(`error: ${(error as Error).message}`);
    }
    if (!block) prompt();
  }
}
