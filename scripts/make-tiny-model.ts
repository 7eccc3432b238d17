/**
 * Generates a tiny, deterministic BERT-like sentence-embedding model folder that
 * @huggingface/transformers can load from disk, so tests can exercise the real
 * local-model loading path (config → tokenizer → ONNX session → pooling) without
 * any download, Python or pre-built binary fixture.
 *
 *   tsx scripts/make-tiny-model.ts <outDir> [name]   → writes <outDir>/<name>/…
 *
 * Layout written (the same one transformers.js expects from a real export):
 *   config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx
 *
 * The network is numerically meaningless; it only has to be deterministic, cheap
 * and sensitive to every input token so that different texts embed differently.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface TinyModelOptions {
  /** PRNG seed for the weights; a different seed gives different onnx bytes. */
  seed?: number;
  /** Width of the token vectors, i.e. the embedding dimension. */
  hiddenSize?: number;
}

export const DEFAULT_TINY_MODEL_NAME = 'tiny-bert-test';
const DEFAULT_SEED = 20240601;
const DEFAULT_HIDDEN_SIZE = 32;
const MAX_LENGTH = 128;

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

// Lower-case Vietnamese syllables, mostly from the public-services domain, so that
// realistic test sentences tokenize to real ids instead of [UNK].
const VIETNAMESE_SYLLABLES = `
dịch vụ công trực tuyến cổng quốc gia đăng ký khai sinh tử kết hôn ly hộ khẩu tịch
thường trú tạm vắng căn cước dân chứng minh nhân giấy phép lái xe máy ô tô thuế thu nhập
cá doanh nghiệp bảo hiểm xã hội y tế thất nộp hồ sơ thủ tục hành chính cấp lại đổi mới
hạn xác nhận tình trạng độc thân người nước ngoài việt nam hà nội thành phố chí tỉnh
huyện quận phường thị trấn ủy ban sở tư pháp bộ an giao thông vận tải tài kế hoạch đầu
lao động thương binh và giáo dục đào tạo văn hóa thể thao du lịch nguyên môi trường nông
phát triển xây dựng nhà ở đất đai quyền sử dụng sổ đỏ hồng trước bạ lệ phí toán ngân
hàng khoản mã số điện thoại thư mật tên nhập hướng dẫn câu hỏi trả lời bao lâu ngày làm
việc thời gian xử lý quả nhận cơ quan thẩm mẫu đơn tờ bản sao thực hợp ảnh chân dung con
dấu chữ định danh mức độ một hai ba bốn năm sáu bảy tám chín mười trăm nghìn triệu đồng
tôi bạn chúng ta họ cần muốn có không được phải thế nào đâu khi gì ai bị mất hỏng sai
sót sửa điều chỉnh tin cha mẹ trẻ em học viên hưu trí lương trợ hỗ khẩn tai nạn bệnh
khám thẻ đình cư di chuyển nhượng mua bán cho thuê đồng kiểm biển tra cứu theo dõi tiến
phản ánh kiến nghị khiếu nại tố cáo quy luật thông tư quyết pháp điều chương mục trang
web ứng tải về cài đặt lỗi hệ thống trì xin chào cảm ơn vui lòng bằng của các những này
đó đã đang sẽ rồi nữa với từ đến trong ngoài trên dưới sau khác nhau nhiều ít lớn nhỏ
`;

// English words so mixed-language queries (and e5 prefixes) also hit the vocabulary.
const ENGLISH_WORDS = `
the a an of to in for on with and or is are be was how what where when why who which
can i you we they my your online public service services register registration birth
certificate marriage death household residence identity card citizen id passport visa
driving license driver vehicle car motorbike tax income business company social health
insurance unemployment submit application apply form forms document documents procedure
procedures administrative fee fees payment pay bank account number phone email password
login username guide question answer time days processing result receive office
authority copy notarized valid photo signature digital level portal national government
ministry province district ward commune people committee land house property ownership
transfer rent contract lookup track status complaint law decree circular decision
website app download install error system maintenance hello thanks please query passage
not found missing new renew renewal lost update change
`;

// Single characters (plus "##" continuations) let WordPiece spell out any word that is
// not in the lists above, so unseen words still produce distinct ids instead of [UNK].
const LETTERS =
  'abcdefghijklmnopqrstuvwxyz0123456789' +
  'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ';
const PUNCTUATION = '.,?!:;()-/"\'%&+';

function words(list: string): string[] {
  return list
    .split(/\s+/u)
    .map((w) => w.normalize('NFC').toLowerCase())
    .filter((w) => w.length > 0);
}

/** Ordered, duplicate-free vocabulary; the index of a token is its id. */
export function buildVocabulary(): string[] {
  const letters = [...LETTERS];
  const ordered = [
    ...SPECIAL_TOKENS,
    ...PUNCTUATION,
    ...letters,
    ...letters.map((c) => `##${c}`),
    ...words(VIETNAMESE_SYLLABLES),
    ...words(ENGLISH_WORDS),
  ];
  return [...new Set(ordered)];
}

// ---------------------------------------------------------------------------
// Tokenizer files (HuggingFace `tokenizers` JSON format)
// ---------------------------------------------------------------------------

function tokenizerJson(vocab: string[]): unknown {
  const ids = new Map(vocab.map((token, id) => [token, id] as const));
  const idOf = (token: string): number => {
    const id = ids.get(token);
    if (id === undefined) throw new Error(`token ${token} missing from vocabulary`);
    return id;
  };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: idOf(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    // strip_accents must be false: Vietnamese diacritics carry meaning (ma/má/mà/mả/mã/mạ).
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: false,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        (['[CLS]', '[SEP]'] as const).map((t) => [t, { id: t, ids: [idOf(t)], tokens: [t] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(ids),
    },
  };
}

function tokenizerConfigJson(): unknown {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: false,
    tokenize_chinese_chars: true,
    clean_up_tokenization_spaces: true,
    model_max_length: MAX_LENGTH,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
  };
}

function configJson(vocabSize: number, hiddenSize: number): unknown {
  // Only model_type matters to transformers.js (it selects BertModel, an encoder-only
  // class fed input_ids/attention_mask/token_type_ids); the rest documents the shape.
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: vocabSize,
    hidden_size: hiddenSize,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: hiddenSize,
    hidden_act: 'tanh',
    max_position_embeddings: MAX_LENGTH,
    type_vocab_size: 2,
    pad_token_id: 0,
    layer_norm_eps: 1e-12,
  };
}

// ---------------------------------------------------------------------------
// Minimal protobuf writer — just the wire types ONNX needs
// ---------------------------------------------------------------------------

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

/** Append-only protobuf message builder; each instance encodes one message. */
class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];

  private varint(value: number): void {
    // ONNX fields we emit are all non-negative; negative int64 would need 10-byte
    // two's-complement varints, which this writer deliberately does not support.
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`varint out of supported range: ${value}`);
    }
    const bytes: number[] = [];
    let v = value;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
    this.chunks.push(Uint8Array.from(bytes));
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  int(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(value.length);
    this.chunks.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  finish(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------
// ONNX messages (field numbers from onnx/onnx.proto)
// ---------------------------------------------------------------------------

const ONNX_FLOAT = 1;
const ONNX_INT64 = 7;
const ATTR_INT = 2;
const IR_VERSION = 8;
const OPSET = 17;

type Dim = number | string;

function tensorFloat(name: string, dims: number[], values: Float32Array): ProtoWriter {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  // raw_data is little-endian by spec, independent of the host.
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  const t = new ProtoWriter();
  for (const d of dims) t.int(1, d); // dims
  return t.int(2, ONNX_FLOAT).string(8, name).bytes(9, raw); // data_type, name, raw_data
}

function tensorInt64(name: string, dims: number[], values: number[]): ProtoWriter {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  const t = new ProtoWriter();
  for (const d of dims) t.int(1, d);
  return t.int(2, ONNX_INT64).string(8, name).bytes(9, raw);
}

function valueInfo(name: string, elemType: number, dims: Dim[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d); // dim_value
    else dim.string(2, d); // dim_param (symbolic, e.g. batch size)
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().int(1, elemType).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType); // TypeProto.tensor_type
  return new ProtoWriter().string(1, name).message(2, type);
}

function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  intAttrs: Record<string, number> = {},
): ProtoWriter {
  const n = new ProtoWriter();
  for (const i of inputs) n.string(1, i);
  for (const o of outputs) n.string(2, o);
  n.string(3, `${opType}_${outputs[0]}`).string(4, opType);
  for (const [name, value] of Object.entries(intAttrs)) {
    n.message(5, new ProtoWriter().string(1, name).int(3, value).int(20, ATTR_INT));
  }
  return n;
}

// ---------------------------------------------------------------------------
// Weights and graph
// ---------------------------------------------------------------------------

/** mulberry32: tiny seeded PRNG so the weights (and the file hash) are reproducible. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomMatrix(rand: () => number, size: number, scale: number): Float32Array {
  const m = new Float32Array(size);
  for (let i = 0; i < size; i++) m[i] = (rand() * 2 - 1) * scale;
  return m;
}

/**
 * last_hidden_state = Tanh(((E[ids] + T[types]) + masked_mean(E[ids] + T[types])) · W + b) * mask
 *
 * The masked sequence mean mixes context into every position, so even the [CLS]
 * vector depends on the whole sentence (which keeps `pooling: 'cls'` meaningful), while
 * padding never changes a sentence's output (batched == unbatched).
 */
export function buildOnnxModel(vocabSize: number, hiddenSize: number, seed: number): Uint8Array {
  const rand = seededRandom(seed);
  const H = hiddenSize;
  const initializers = [
    tensorFloat('word_embeddings', [vocabSize, H], randomMatrix(rand, vocabSize * H, 1)),
    tensorFloat('token_type_embeddings', [2, H], randomMatrix(rand, 2 * H, 0.1)),
    tensorFloat('dense_weight', [H, H], randomMatrix(rand, H * H, 1 / Math.sqrt(H))),
    tensorFloat('dense_bias', [H], randomMatrix(rand, H, 0.1)),
    tensorInt64('axis_seq', [1], [1]),
    tensorInt64('axis_last', [1], [2]),
  ];
  const nodes = [
    node('Gather', ['word_embeddings', 'input_ids'], ['words']),
    node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
    node('Add', ['words', 'types'], ['tokens']),
    node('Cast', ['attention_mask'], ['mask_f'], { to: ONNX_FLOAT }),
    node('Unsqueeze', ['mask_f', 'axis_last'], ['mask3']),
    node('Mul', ['tokens', 'mask3'], ['tokens_masked']),
    node('ReduceSum', ['tokens_masked', 'axis_seq'], ['ctx_sum'], { keepdims: 1 }),
    node('ReduceSum', ['mask3', 'axis_seq'], ['ctx_count'], { keepdims: 1 }),
    node('Div', ['ctx_sum', 'ctx_count'], ['ctx_mean']),
    node('Add', ['tokens', 'ctx_mean'], ['mixed']),
    node('MatMul', ['mixed', 'dense_weight'], ['projected']),
    node('Add', ['projected', 'dense_bias'], ['biased']),
    node('Tanh', ['biased'], ['activated']),
    node('Mul', ['activated', 'mask3'], ['last_hidden_state']),
  ];

  const graph = new ProtoWriter();
  for (const n of nodes) graph.message(1, n);
  graph.string(2, 'tiny_bert');
  for (const t of initializers) graph.message(5, t);
  for (const name of ['input_ids', 'attention_mask', 'token_type_ids']) {
    graph.message(11, valueInfo(name, ONNX_INT64, ['batch_size', 'sequence_length']));
  }
  graph.message(12, valueInfo('last_hidden_state', ONNX_FLOAT, ['batch_size', 'sequence_length', H]));

  return new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, 'dvc-assistant make-tiny-model')
    .string(3, '1')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, OPSET)) // default ai.onnx domain
    .finish();
}

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes `<outDir>/<name>/…` and returns that folder's path. Overwrites existing files. */
export async function makeTinyModel(
  outDir: string,
  name: string = DEFAULT_TINY_MODEL_NAME,
  options: TinyModelOptions = {},
): Promise<string> {
  const seed = options.seed ?? DEFAULT_SEED;
  const hiddenSize = options.hiddenSize ?? DEFAULT_HIDDEN_SIZE;
  const vocab = buildVocabulary();
  const dir = path.join(outDir, name);
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  await Promise.all([
    writeFile(path.join(dir, 'config.json'), json(configJson(vocab.length, hiddenSize))),
    writeFile(path.join(dir, 'tokenizer.json'), json(tokenizerJson(vocab))),
    writeFile(path.join(dir, 'tokenizer_config.json'), json(tokenizerConfigJson())),
    writeFile(path.join(dir, 'onnx', 'model.onnx'), buildOnnxModel(vocab.length, hiddenSize, seed)),
  ]);
  return dir;
}

async function main(argv: string[]): Promise<void> {
  const [outDir, name] = argv;
  if (!outDir) {
    console.error('usage: tsx scripts/make-tiny-model.ts <outDir> [name]');
    process.exitCode = 2;
    return;
  }
  const dir = await makeTinyModel(outDir, name ?? DEFAULT_TINY_MODEL_NAME);
  console.log(`tiny model written to ${dir}`);
}

// Run only when executed directly, not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main(process.argv.slice(2));
}
