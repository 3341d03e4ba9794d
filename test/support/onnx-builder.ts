import protobuf from 'protobufjs';

/**
 * Writes tiny ONNX models for tests, from a subset of onnx.proto (field numbers as upstream).
 * Used to give the `onnx` engine a real onnxruntime session with PP-DocLayout's inputs and outputs
 * when no PP-DocLayout export is available.
 */
const ONNX_SUBSET = `
syntax = "proto3";
package onnx;
message AttributeProto { string name = 1; float f = 2; int64 i = 3; bytes s = 4; TensorProto t = 5; int32 type = 20; }
message NodeProto { repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4; repeated AttributeProto attribute = 5; string domain = 7; }
message TensorProto { repeated int64 dims = 1; int32 data_type = 2; repeated float float_data = 4; repeated int32 int32_data = 5; string name = 8; bytes raw_data = 9; }
message TensorShapeProto { message Dimension { int64 dim_value = 1; string dim_param = 2; } repeated Dimension dim = 1; }
message TypeProto { message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; } Tensor tensor_type = 1; }
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message GraphProto { repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5; repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message ModelProto { int64 ir_version = 1; string producer_name = 2; GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; }
`;

const FLOAT = 1;
const INT32 = 6;
const ATTR_TENSOR = 4;

const valueInfo = (name: string, elem: number, dims: Array<number | string>) => ({
  name,
  type: {
    tensor_type: { elem_type: elem, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } },
  },
});

/**
 * A model shaped like a PP-DocLayout export: inputs `image` [1,3,S,S], `im_shape` and
 * `scale_factor` [1,2]; outputs `fetch_name_0` (boxes [M,6]) and `fetch_name_1` (counts [1])
 * that are the given constants, whatever the image. `outputs` renames the two outputs (to test the
 * export-name check of model_repo/check-export.ts).
 */
export function fakeDocLayoutOnnx(size: number, rows: number[][], outputs: [string, string] = ['fetch_name_0', 'fetch_name_1']): Buffer {
  const root = protobuf.parse(ONNX_SUBSET, { keepCase: true }).root;
  const Model = root.lookupType('onnx.ModelProto');
  const constant = (out: string, t: object) => ({
    output: [out],
    op_type: 'Constant',
    name: `const_${out}`,
    attribute: [{ name: 'value', type: ATTR_TENSOR, t }],
  });
  const model = {
    ir_version: 8,
    producer_name: 'roche-tests',
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'fake_pp_doclayout',
      node: [
        constant(outputs[0], { dims: [rows.length, 6], data_type: FLOAT, float_data: rows.flat() }),
        constant(outputs[1], { dims: [1], data_type: INT32, int32_data: [rows.length] }),
      ],
      input: [
        valueInfo('image', FLOAT, [1, 3, size, size]),
        valueInfo('im_shape', FLOAT, [1, 2]),
        valueInfo('scale_factor', FLOAT, [1, 2]),
      ],
      output: [valueInfo(outputs[0], FLOAT, [rows.length, 6]), valueInfo(outputs[1], INT32, [1])],
    },
  };
  return Buffer.from(Model.encode(Model.fromObject(model)).finish());
}
