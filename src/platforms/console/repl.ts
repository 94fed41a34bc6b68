import { createInterface } from 'node:readline';
import type { Team } from '../../report/definition.ts';
import { ConsoleRefusal } from './chat-ids.ts';
import type { ConsoleMessage, ConsolePlatform } from './console-platform.ts';
import type { ConsoleSession } from './console-session.ts';

const HELP = `Local chat. You act as one person of the team; the bot's messages to you and to the channel show up here.
  /people                   who is in the team (owners and leads)
  /as <person>              become someone else, e.g. /as owner-o1
  <text>                    a direct message to the bot (your answer, when you own one open section)
  """                       start and end a multi-line message
  /reply <id> [text]        reply in the thread of the bot's message <id> (e.g. your prompt, m4): added to that section's answer
  /edit <id> [text]         edit a message you typed (u1, u2…, as "(you sent …)" says): replaces its part of the answer
  /delete <id>              delete a message you typed: its part leaves the answer
  /form <id>                open the form of a prompt, prefilled with your current answer; the text replaces it all
  /weekly-report <command>  status, preview, remind, publish, week 2024-W22, help
  /open                     open this week now and prompt every owner (whatever the day)
  /run                      run the scheduled jobs that are due now (open, remind, publish)
  /channel                  show the report channel
  /quit                     leave (data in memory is lost)
Ids are those shown in brackets. With MONGODB_URI, each start of the chat has a number that its ids carry
(3m4, 3u1): an id of an earlier start still names the same prompt or message, never another.`;

export interface ReplOptions {
  team: Team;
  platform: ConsolePlatform;
  session: ConsoleSession;
  /** Runs the jobs that are due now; says what each did. */
  runDueJobs: () => Promise<string>;
  /** Opens the current week and prompts its owners now; says what it did. */
  openNow: () => Promise<string>;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** Formats a bot message for the terminal: to you in full, to others as one line. */
export function formatConsoleMessage(message: ConsoleMessage, you: string, event: 'new' | 'updated'): string {
  const where = message.threadOf ? `${message.channel} ↳ ${message.threadOf}` : message.channel;
  const tag = `[${message.id}${event === 'updated' ? ', updated' : ''}] ${where}`;
  // A binary file (a chart) was written to disk: its message names the path to open.
  const body = message.file && !message.file.path ? `📎 ${message.file.filename}\n${message.file.content}` : message.text;
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
        // The text after the command and its id, as typed: a one-line reply keeps its spaces.
        const argument = line.trimStart().replace(/^\S+\s+\S+\s?/, '');
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
              const sections = team.definition.sections.filter((s) => s.owners.includes(key)).map((s) => `${s.title} (${s.id})`);
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
          case '/delete':
          case '/form': {
            const id = rest[0];
            if (!id) {
              print(`${word} needs a message id`);
              break;
            }
            if (word === '/delete') {
              await session.remove(id);
              break;
            }
            // The id is checked before the text is typed: a refused id loses no text.
            if (word === '/reply') await session.threadOf(id);
            if (word === '/edit') await session.typedByYou(id);
            if (word === '/form') {
              const opening = await session.openForm(id);
              if ('refusal' in opening) {
                print(opening.refusal.text);
                break;
              }
              print(`Prefilled:\n${opening.form.prefill}`);
            }
            const act = async (text: string) => {
              const sent =
                word === '/reply' ? await session.say(text, id) : word === '/edit' ? await session.edit(id, text) : await session.submitForm(id, text);
              if (sent.messageId && word === '/reply') print(`(you sent ${sent.messageId}; /edit ${sent.messageId} or /delete ${sent.messageId} to change it)`);
            };
            if (argument && word !== '/form') await act(argument);
            else collect(act);
            break;
          }
          case '/weekly-report':
            await session.command(rest.join(' '));
            break;
          case '/run':
            print(await options.runDueJobs());
            break;
          case '/open':
            print(await options.openNow());
            break;
          case '/channel':
            for (const m of platform.messages.filter((m) => m.channel.startsWith('#'))) print(formatConsoleMessage(m, session.you, 'new'));
            break;
          case '"""':
            collect(async (text) => {
              const sent = await session.say(text);
              print(`(you sent ${sent.messageId ?? ''})`);
            });
            break;
          default:
            if (word.startsWith('/')) print(`Unknown command ${word}. /help lists them.`);
            else {
              const sent = await session.say(line);
              print(`(you sent ${sent.messageId ?? ''}; /edit ${sent.messageId ?? ''} or /delete ${sent.messageId ?? ''} to change it)`);
            }
        }
      }
    } catch (error) {
      // An id that can't be used says which and what to type instead; anything else is a failure.
      print(error instanceof ConsoleRefusal ? error.message : `error: ${(error as Error).message}`);
    }
    if (!block) prompt();
  }
}
