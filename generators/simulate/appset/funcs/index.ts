// The function map of Argo CD's ApplicationSet templates (applicationset/utils/utils.go init):
// sprig.GenericFuncMap() without env, expandenv and getHostByName, plus normalize, slugify,
// toYaml, fromYaml, fromYamlArray. sprig's `slice` shadows the text/template builtin.
//
// Functions whose result depends on the clock, randomness, DNS or key generation, and a few
// others not reproduced yet, stay defined (a template using them parses, as upstream) but fail
// when called with a NotModelledError naming the function: never a guessed value.
import { fn, type FuncMap } from '../go/text-template/func.ts';
import { NotModelledError } from '../go/values.ts';
import { argoFunctions } from './argo.ts';
import { sprigData } from './sprig-data.ts';
import { sprigStrings } from './sprig-strings.ts';

/** Functions of sprig's GenericFuncMap the simulation does not reproduce, and why. */
export const NOT_MODELLED: Record<string, string> = {
  ago: 'depends on the clock',
  date: 'formats times (Go time layouts are not modelled)',
  date_in_zone: 'formats times (Go time layouts are not modelled)',
  dateInZone: 'formats times (Go time layouts are not modelled)',
  date_modify: 'depends on the clock',
  dateModify: 'depends on the clock',
  must_date_modify: 'depends on the clock',
  mustDateModify: 'depends on the clock',
  durationRound: 'formats Go durations (not modelled)',
  htmlDate: 'formats times (not modelled)',
  htmlDateInZone: 'formats times (not modelled)',
  mustToDate: 'parses Go time layouts (not modelled)',
  toDate: 'parses Go time layouts (not modelled)',
  now: 'depends on the clock',
  unixEpoch: 'depends on the clock',
  randAlphaNum: 'returns random data',
  randAlpha: 'returns random data',
  randAscii: 'returns random data',
  randNumeric: 'returns random data',
  randInt: 'returns random data',
  randBytes: 'returns random data',
  shuffle: 'returns random data',
  uuidv4: 'returns random data',
  bcrypt: 'uses a random salt',
  htpasswd: 'uses a random salt',
  genPrivateKey: 'generates keys',
  derivePassword: 'is a cryptographic derivation (not modelled)',
  buildCustomCert: 'builds certificates',
  genCA: 'generates keys',
  genCAWithKey: 'generates certificates',
  genSelfSignedCert: 'generates keys',
  genSelfSignedCertWithKey: 'generates certificates',
  genSignedCert: 'generates keys',
  genSignedCertWithKey: 'generates certificates',
  encryptAES: 'uses a random IV',
  decryptAES: 'is AES decryption (not modelled)',
  semver: 'returns a Masterminds/semver value (not modelled)',
  semverCompare: 'evaluates Masterminds/semver constraints (not modelled)',
  abbrev: 'is goutils.Abbreviate (not modelled)',
  abbrevboth: 'is goutils.AbbreviateFull (not modelled)',
  initials: 'is goutils.Initials (not modelled)',
  untitle: 'is goutils.Uncapitalize (not modelled)',
  swapcase: 'is goutils.SwapCase (not modelled)',
  wrap: 'is goutils.Wrap (not modelled)',
  wrapWith: 'is goutils.WrapCustom (not modelled)',
  snakecase: 'is xstrings.ToSnakeCase (not modelled)',
  camelcase: 'is xstrings.ToPascalCase (not modelled)',
  kebabcase: 'is xstrings.ToKebabCase (not modelled)',
  urlParse: 'is net/url parsing (not modelled)',
  urlJoin: 'is net/url building (not modelled)',
};

function notModelled(name: string, why: string) {
  return fn(['...interface {}'], () => {
    throw new NotModelledError(`template function "${name}" is not modelled by the simulation: it ${why}`);
  });
}

const notModelledFuncs: FuncMap = Object.fromEntries(Object.entries(NOT_MODELLED).map(([n, why]) => [n, notModelled(n, why)]));

/** The complete function map an ApplicationSet goTemplate sees. */
export const ARGO_FUNC_MAP: FuncMap = { ...notModelledFuncs, ...sprigStrings, ...sprigData, ...argoFunctions };
