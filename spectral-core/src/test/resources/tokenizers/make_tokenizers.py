"""Writes the tokenizer.json fixtures of TokenVocabularyTest and the readout tests with Hugging Face
`tokenizers` (pip install tokenizers), trained on this project's README so that nothing foreign is
copied in. Run from this directory: python3 make_tokenizers.py ../../../../README.md

- bytelevel-bpe-512.json: GPT-2-style byte-level BPE with exactly 512 tokens (256 bytes, 255 merges,
  <|endoftext|> as id 511), the size of stories260k's vocabulary;
- sentencepiece-bpe.json: a Llama-style BPE (Metaspace pre-tokenizer, byte fallback <0xNN>, <unk> <s> </s>);
- unigram.json: a Unigram model (Metaspace), vocabulary as [piece, score] pairs;
- wordlevel.json: a WordLevel model (whitespace split) with [UNK].
"""
import sys
from tokenizers import Tokenizer, models, trainers, pre_tokenizers, decoders

text = open(sys.argv[1], encoding="utf-8").read()
lines = [l for l in text.splitlines() if l.strip()]

bl = Tokenizer(models.BPE())
bl.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
bl.decoder = decoders.ByteLevel()
bl.train_from_iterator(lines, trainers.BpeTrainer(vocab_size=511, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                                  show_progress=False))
bl.add_special_tokens(["<|endoftext|>"])
assert bl.get_vocab_size() == 512, bl.get_vocab_size()
bl.save("bytelevel-bpe-512.json")

sp = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
sp.pre_tokenizer = pre_tokenizers.Metaspace()
sp.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse()])
special = ["<unk>", "<s>", "</s>"] + ["<0x%02X>" % b for b in range(256)]
sp.train_from_iterator(lines, trainers.BpeTrainer(vocab_size=400, special_tokens=special, show_progress=False))
sp.save("sentencepiece-bpe.json")

ug = Tokenizer(models.Unigram())
ug.pre_tokenizer = pre_tokenizers.Metaspace()
ug.decoder = decoders.Metaspace()
ug.train_from_iterator(lines, trainers.UnigramTrainer(vocab_size=200, special_tokens=["<unk>"], unk_token="<unk>",
                                                      show_progress=False))
ug.save("unigram.json")

wl = Tokenizer(models.WordLevel(unk_token="[UNK]"))
wl.pre_tokenizer = pre_tokenizers.Whitespace()
wl.train_from_iterator(lines, trainers.WordLevelTrainer(vocab_size=150, special_tokens=["[UNK]"], show_progress=False))
wl.save("wordlevel.json")

# What the tokenizers library itself decodes each id of the first two to: TokenVocabularyTest's reference.
import json
json.dump({"bytelevel-bpe-512.json": [bl.decode([i], skip_special_tokens=False) for i in range(bl.get_vocab_size())],
           "sentencepiece-bpe.json": [sp.decode([i], skip_special_tokens=False) for i in range(sp.get_vocab_size())]},
          open("decoded.json", "w", encoding="utf-8"), ensure_ascii=False, indent=0)
